// `loupe export` / `loupe import` as users run them: child processes against a running `loupe serve` (found
// through the data dir's lock) and against a data dir no engine runs on (the command starts one itself).

import { spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { useTempDirs } from '../src-main/engine/test-temp-dirs'
import { LOUPE_BIN, startServe } from './support/serve-process'

const tempDir = useTempDirs('loupe-e2e-sessions-')

function loupe(args: string[]): Promise<{ code: number | string; out: string; err: string }> {
  const child = spawn(process.execPath, [LOUPE_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  let err = ''
  child.stdout.on('data', (c: Buffer) => (out += c.toString()))
  child.stderr.on('data', (c: Buffer) => (err += c.toString()))
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code: code ?? signal ?? -1, out, err })))
}

const parse = (text: string): any[] => text.split('\n').filter(Boolean).map((l) => JSON.parse(l))

describe('loupe export / import', () => {
  it('round-trips 10,000 events through files into a fresh data dir, losslessly and once', async () => {
    const a = tempDir()
    const serve = await startServe(a)
    try {
      for (let start = 0; start < 10_000; start += 500) {
        const batch = Array.from({ length: 500 }, (_, k) => {
          const i = start + k
          return { type: i % 2 ? 'track' : 'identify', event: `E${i % 9}`, userId: `u${i % 50}`, messageId: `msg-${i}`, timestamp: new Date(Date.UTC(2026, 5, 1) + i).toISOString(), properties: { i } }
        })
        const res = await fetch(`${serve.baseUrl}/v1/batch`, { method: 'POST', body: JSON.stringify({ writeKey: 'wk_e2e', batch }) })
        expect(res.status).toBe(200)
      }
      const file = join(tempDir(), 'session.ndjson.gz')
      const exported = await loupe(['export', '--data-dir', a, '--out', file])
      expect(exported.code, exported.err).toBe(0)
      const original = parse(gunzipSync(readFileSync(file)).toString())
      expect(original).toHaveLength(10_000)

      const b = tempDir()
      const imported = await loupe(['import', file, '--data-dir', b])
      expect(imported.code, imported.err).toBe(0)
      expect(imported.out).toContain('10000 stored, 0 duplicates, 0 rejected')
      const back = join(tempDir(), 'back.ndjson')
      expect((await loupe(['export', '--data-dir', b, '--out', back])).code).toBe(0)
      expect(parse(readFileSync(back, 'utf8'))).toEqual(original)

      const again = await loupe(['import', file, '--data-dir', b])
      expect(again.out).toContain('0 stored, 10000 duplicates, 0 rejected')
    } finally {
      serve.child.kill('SIGTERM')
      await serve.exited
    }
  }, 180_000)

  it('names a rejected line by file and number, imports the rest, and exits 1', async () => {
    const dir = tempDir()
    const file = join(dir, 'bad.ndjson')
    writeFileSync(file, '{"type":"track","event":"A","userId":"u","messageId":"a"}\n{oops\n{"type":"track","event":"B","userId":"u","messageId":"b"}\n')
    const result = await loupe(['import', file, '--data-dir', tempDir()])
    expect(result.code).toBe(1)
    expect(result.err).toContain(`${file}:2: ERR_BODY_INVALID_JSON`)
    expect(result.out).toContain('2 stored, 0 duplicates, 1 rejected')
  }, 60_000)
})
