// The file destination's replay dry run: what would be appended where, with the first lines, and nothing
// written (not even the folder).

import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { fileDriver } from './file'
import { useTempDirs } from '../test-temp-dirs'

const tempDir = useTempDirs('loupe-file-describe-')
const env = { actionsRedirect: null, destinationId: 1, sourceName: (id: number) => (id === 1 ? 'Web App' : null) }
const event = (i: number, day = '2024-03-04') => ({ type: 'track', event: `E${i}`, messageId: `m${i}`, receivedAt: `${day}T10:00:00.000Z` })

describe('file destination dry run', () => {
  it('names the partition folders and shows the first lines of each, writing nothing', async () => {
    const folder = join(tempDir(), 'archive')
    const driver = fileDriver('Archive', { folder }, env)
    const events = [...Array.from({ length: 7 }, (_, i) => event(i)), event(7, '2024-03-05')]
    const text = await driver.describe!(events, [1, 1, 1, 1, 1, 1, 1, 2])
    const [first, second] = text.split('\n\n')
    const lines = first!.split('\n')
    expect(lines[0]).toBe(`append 7 events to ${join(folder, 'web-app', '2024-03-04', '….ndjson.gz')} (gzip)`)
    expect(lines.slice(1, 6).map((line) => JSON.parse(line).messageId)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4'])
    expect(lines[6]).toBe('… and 2 more')
    expect(second).toBe(`append 1 event to ${join(folder, 'source-2', '2024-03-05', '….ndjson.gz')} (gzip)\n${JSON.stringify(events[7])}`)
    expect(existsSync(folder)).toBe(false)
  })

  it('names the file being appended to once there is one', async () => {
    const folder = tempDir()
    const driver = fileDriver('Archive', { folder, gzip: false, partition: 'day' }, env)
    expect((await driver.send([event(0)], new AbortController().signal, [1])).status).toBe(200)
    const [file] = readdirSync(join(folder, '2024-03-04'))
    const text = await driver.describe!([event(1)], [1])
    expect(text.split('\n')[0]).toBe(`append 1 event to ${join(folder, '2024-03-04', file!)}`)
    expect(readdirSync(join(folder, '2024-03-04'))).toEqual([file])
    await driver.close?.()
  })
})
