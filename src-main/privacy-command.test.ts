// `loupe suppress` / `unsuppress` / `delete-user` against a running engine on its data dir: usage errors exit 2
// naming what is missing; the requests go through the admin API like the UI's.

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { privacyCommand } from './privacy-command'
import { startTestEngine, type TestEngine } from './engine/test-engine'

let t: TestEngine
beforeAll(async () => {
  t = await startTestEngine()
})
afterAll(async () => {
  await t.stop()
})

async function run(command: 'suppress' | 'unsuppress' | 'delete-user', args: string[]): Promise<{ code: number; text: string }> {
  const out: string[] = []
  const code = await privacyCommand(command, [...args, '--data-dir', t.dataDir], { out: (s) => out.push(s), err: (s) => out.push(s) })
  return { code, text: out.join('') }
}

describe('privacy commands', () => {
  it('refuses bad usage with exit 2, saying what is missing', async () => {
    expect(await run('suppress', [])).toMatchObject({ code: 2, text: expect.stringContaining('give exactly one of --user-id and --anonymous-id') })
    expect(await run('suppress', ['--user-id', 'a', '--anonymous-id', 'b'])).toMatchObject({ code: 2 })
    expect(await run('delete-user', ['--user-id', 'a'])).toMatchObject({ code: 2, text: expect.stringContaining('add --yes') })
  })

  it('suppresses and unsuppresses a user, and deletes their events with a summary', async () => {
    expect(await run('suppress', ['--user-id', 'cli-gone'])).toMatchObject({ code: 0, text: expect.stringContaining('Suppressed (userId') })
    expect((await t.track('/v1/track', { userId: 'cli-gone', event: 'X' }, 'wk_cli')).status).toBe(403)
    expect(await run('unsuppress', ['--user-id', 'cli-gone'])).toMatchObject({ code: 0, text: expect.stringContaining('Unsuppressed') })
    expect(await run('unsuppress', ['--user-id', 'cli-gone'])).toMatchObject({ code: 0, text: expect.stringContaining('was not suppressed') })

    expect((await t.track('/v1/track', { userId: 'cli-gone', event: 'X', messageId: 'cli-1' }, 'wk_cli')).status).toBe(200)
    const deleted = await run('delete-user', ['--user-id', 'cli-gone', '--yes'])
    expect(deleted.code, deleted.text).toBe(0)
    // Counts read as counts: one event, not "1 events".
    expect(deleted.text).toMatch(/^Deleted: 1 event, 0 delivery-log samples, 0 archive lines, 0 warehouse rows \(deletion \d+\)\.\n$/)
    expect((await t.get('/api/events?userId=cli-gone')).events).toEqual([])
  })
})
