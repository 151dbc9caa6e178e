// `loupe serve --ephemeral`: a fresh private data dir for one run (CI), deleted when Loupe stops — after a
// graceful stop, after a failed start, and on process.exit (a second Ctrl+C). Only SIGKILL leaves it behind.

import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const live = new Set<string>()

export function isEphemeralDataDir(dir: string): boolean {
  return live.has(dir)
}

/** Runs `run` on a new temp data dir (mode 0700) and deletes the dir when it settles or the process exits. */
export async function withEphemeralDataDir(run: (dataDir: string) => Promise<number>): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-ephemeral-'))
  chmodSync(dir, 0o700) // mkdtemp already makes it 0700; said explicitly because the token lives here
  live.add(dir)
  const remove = (): void => {
    live.delete(dir)
    rmSync(dir, { recursive: true, force: true })
  }
  process.on('exit', remove)
  try {
    return await run(dir)
  } finally {
    process.off('exit', remove)
    remove()
  }
}
