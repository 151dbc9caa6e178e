// Removing lines from the archive (a privacy deletion): every NDJSON file under the folder is read, the lines
// whose event matches are left out, and the file is replaced atomically (written beside it, fsynced, renamed
// over it). The file driver runs this in its write queue, so no append can land in between.

import { readdir, readFile, open, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { gunzip as gunzipCallback, gzip as gzipCallback } from 'node:zlib'

const gzip = promisify(gzipCallback)
const gunzip = promisify(gunzipCallback)

export async function removeArchiveLines(folder: string, drop: (event: Record<string, unknown>) => boolean, fileMode: number): Promise<number> {
  let removed = 0
  for (const file of await archiveFiles(folder)) {
    const compressed = file.endsWith('.gz')
    const raw = await readFile(file)
    const text = (compressed ? await gunzip(raw) : raw).toString('utf8')
    const lines = text.split('\n')
    const kept = lines.filter((line) => {
      if (line.trim() === '') return true
      try {
        return !drop(JSON.parse(line) as Record<string, unknown>)
      } catch {
        return true // not ours to judge: a line that is not JSON stays
      }
    })
    if (kept.length === lines.length) continue
    removed += lines.length - kept.length
    const body = Buffer.from(kept.join('\n'))
    const temp = `${file}.rewrite`
    const handle = await open(temp, 'w', fileMode)
    try {
      await handle.writeFile(compressed ? await gzip(body, { level: 1 }) : body)
      await handle.datasync()
    } catch (error) {
      await handle.close()
      await rm(temp, { force: true })
      throw error
    }
    await handle.close()
    await rename(temp, file)
  }
  return removed
}

async function archiveFiles(folder: string): Promise<string[]> {
  const out: string[] = []
  const walk = async (dir: string): Promise<void> => {
    let entries
    try {
      entries = await readdir(dir, { withFileTypes: true })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return
      throw error
    }
    for (const entry of entries) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) await walk(path)
      else if (/\.ndjson(\.gz)?$/.test(entry.name)) out.push(path)
    }
  }
  await walk(folder)
  return out
}
