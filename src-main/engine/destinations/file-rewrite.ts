// Removing lines from the archive (a privacy deletion): every NDJSON file under the folder is streamed line by
// line (files can be far larger than a string may be), the lines whose event matches are left out, and the file
// is replaced atomically when anything was removed (written beside it, fsynced, renamed over it), or removed
// when nothing is left of it; either way its folder is fsynced, so a crash cannot bring the lines back. The
// file driver runs this in its write queue, so no append can land in between.

import { createReadStream, createWriteStream } from 'node:fs'
import { open, readdir, rename, rm } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { Readable, type Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createGunzip, createGzip } from 'node:zlib'
import { syncDir } from './sync-dir'

export async function removeArchiveLines(folder: string, drop: (event: Record<string, unknown>) => boolean, fileMode: number): Promise<number> {
  let removed = 0
  for (const file of await archiveFiles(folder)) removed += await rewrite(file, drop, fileMode)
  return removed
}

async function rewrite(file: string, drop: (event: Record<string, unknown>) => boolean, fileMode: number): Promise<number> {
  const compressed = file.endsWith('.gz')
  const temp = `${file}.rewrite`
  let removed = 0
  let linesKept = 0
  const source = createReadStream(file)
  const lines = createInterface({ input: compressed ? source.pipe(createGunzip()) : source, crlfDelay: Infinity })
  const kept = Readable.from(
    (async function* () {
      for await (const line of lines) {
        if (line.trim() !== '' && matches(line, drop)) {
          removed++
          continue
        }
        linesKept++
        yield `${line}\n`
      }
    })()
  )
  const out = createWriteStream(temp, { mode: fileMode })
  try {
    await (compressed ? pipeline(kept, createGzip({ level: 1 }), out as Writable) : pipeline(kept, out))
  } catch (error) {
    await rm(temp, { force: true })
    throw error
  }
  if (removed === 0) {
    await rm(temp, { force: true })
    return 0
  }
  if (linesKept === 0) {
    await rm(temp, { force: true })
    await rm(file)
  } else {
    const handle = await open(temp, 'r')
    await handle.datasync()
    await handle.close()
    await rename(temp, file)
  }
  await syncDir(dirname(file))
  return removed
}

function matches(line: string, drop: (event: Record<string, unknown>) => boolean): boolean {
  try {
    return drop(JSON.parse(line) as Record<string, unknown>)
  } catch {
    return false // not ours to judge: a line that is not JSON stays
  }
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
