// A folder's entries made durable: a created, renamed or removed file survives a crash only once its
// directory is fsynced too.

import { open } from 'node:fs/promises'

export async function syncDir(dir: string): Promise<void> {
  // Windows cannot open a folder for fsync; there the directory entry is durable with the file.
  const handle = await open(dir, 'r').catch(() => null)
  if (!handle) return
  await handle.sync().catch(() => undefined)
  await handle.close()
}
