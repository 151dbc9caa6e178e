// NDJSON input, plain or gzipped (told apart by the gzip magic bytes, whatever the file is called or the
// Content-Type says). zlib reads every member of a multi-member gzip file, the file destination's format.

import { createReadStream } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { PassThrough, type Readable } from 'node:stream'
import { createGunzip } from 'node:zlib'

export interface InputLine {
  text: string
  /** 1-based line number within its file. */
  line: number
  file?: string
}

/** The stream, gunzipped when it starts with the gzip magic bytes. */
export async function decoded(input: Readable): Promise<Readable> {
  const first = await firstChunk(input)
  const out = new PassThrough()
  if (first && first.length >= 2 && first[0] === 0x1f && first[1] === 0x8b) {
    const gunzip = createGunzip()
    gunzip.on('error', (error) => out.destroy(new Error(`not valid gzip data: ${error.message}`)))
    gunzip.pipe(out)
    gunzip.write(first)
    input.pipe(gunzip)
  } else {
    if (first) out.write(first)
    input.pipe(out)
  }
  input.on('error', (error) => out.destroy(error))
  return out
}

async function firstChunk(input: Readable): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const onReadable = (): void => {
      const chunk = input.read() as Buffer | null
      if (chunk === null) return
      cleanup()
      resolve(chunk)
    }
    const onEnd = (): void => {
      cleanup()
      resolve(null)
    }
    const onError = (error: Error): void => {
      cleanup()
      reject(error)
    }
    const cleanup = (): void => {
      input.off('readable', onReadable)
      input.off('end', onEnd)
      input.off('error', onError)
    }
    input.on('readable', onReadable)
    input.on('end', onEnd)
    input.on('error', onError)
  })
}

/** Non-blank lines of an NDJSON stream (plain or gzip). */
export async function* ndjsonLines(input: Readable, file?: string): AsyncGenerator<InputLine> {
  const lines = createInterface({ input: await decoded(input), crlfDelay: Infinity })
  let line = 0
  for await (let text of lines) {
    line++
    if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1)
    if (text.trim() === '') continue
    yield file === undefined ? { text, line } : { text, line, file }
  }
}

/** A file, or every *.ndjson / *.ndjson.gz / *.json.gz under a folder (recursively, sorted: the archive's day folders). */
export async function importFiles(path: string): Promise<string[]> {
  const info = await stat(path)
  if (!info.isDirectory()) return [path]
  const out: string[] = []
  const walk = async (dir: string): Promise<void> => {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))
    for (const entry of entries) {
      const full = join(dir, entry.name)
      if (entry.isDirectory()) await walk(full)
      else if (/\.(ndjson|jsonl)(\.gz)?$|\.json\.gz$/i.test(entry.name)) out.push(full)
    }
  }
  await walk(path)
  return out
}

/** The lines of several files one after the other, each numbered within its own file. */
export async function* filesLines(files: string[], name: (file: string) => string = (f) => f): AsyncGenerator<InputLine> {
  for (const file of files) yield* ndjsonLines(createReadStream(file), name(file))
}
