// The file driver on its own: its write queue with batches in flight (a batch queued behind one that fails
// must not land before that one's retry, or lines would leave log order), and a deletion's time bound.

import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { useTempDirs } from '../test-temp-dirs'
import { fileDriver } from './file'

const tempDir = useTempDirs('loupe-file-order-')
const line = (id: string) => ({ json: JSON.stringify({ messageId: id }), receivedAt: '2026-01-02T00:00:00.000Z' })

it('fails a batch queued behind a failing one, and writes it again once the queue is idle', async () => {
  const folder = tempDir()
  // Source "broken" cannot get its folder: a file has that name.
  writeFileSync(join(folder, 'broken'), '')
  const driver = fileDriver('Archive', { folder, gzip: false }, { actionsRedirect: null, destinationId: 1, sourceName: (id) => (id === 1 ? 'broken' : 'fine') })
  const signal = new AbortController().signal
  const [first, second] = await Promise.all([driver.sendLines!([line('m-1')], signal, [1]), driver.sendLines!([line('m-2')], signal, [2])])
  expect(first.status).toBeNull()
  expect(second.status).toBeNull()
  expect(second.error).toMatch(/earlier batch/)
  expect(existsSync(join(folder, 'fine'))).toBe(false)
  // A retry on an idle queue goes ahead, whatever failed before.
  expect((await driver.sendLines!([line('m-2')], signal, [2])).status).toBe(200)
  expect(existsSync(join(folder, 'fine'))).toBe(true)
})

it('removes only the lines of a user received before the deletion’s time', async () => {
  const folder = tempDir()
  const driver = fileDriver('Archive', { folder, gzip: false }, { actionsRedirect: null, destinationId: 1, sourceName: () => 'web' })
  const signal = new AbortController().signal
  const at = (id: string, receivedAt: string) => ({ json: JSON.stringify({ messageId: id, userId: 'u-del', receivedAt }), receivedAt })
  expect((await driver.sendLines!([at('old', '2026-01-02T10:00:00.000Z'), at('new', '2026-01-02T10:00:05.000Z')], signal, [1, 1])).status).toBe(200)
  // Received after the deletion was requested: kept, as Loupe keeps it.
  expect(await driver.forgetUser!({ kind: 'userId', id: 'u-del', before: Date.parse('2026-01-02T10:00:05.000Z') })).toBe(1)
  const day = join(folder, 'web', '2026-01-02')
  const lines = readdirSync(day).flatMap((file) => readFileSync(join(day, file), 'utf8').split('\n').filter(Boolean))
  expect(lines.map((l) => JSON.parse(l).messageId)).toEqual(['new'])
})
