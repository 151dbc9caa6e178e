// `loupe suppress`, `loupe unsuppress` and `loupe delete-user`: a user's privacy requests from the command
// line, through the engine's admin API (admin-connection.ts), so they are recorded and audited like requests
// made in the UI.

import { parseArgs } from 'node:util'
import type { Deletion, Suppression } from '../src-shared/privacy'
import { call, connect, CONNECTION, STDIO, type Output } from './admin-connection'

export const PRIVACY_HELP = `Usage:
  loupe suppress   --user-id ID | --anonymous-id ID [--data-dir D | --url URL --token T]
      refuse new events of this user at ingest (403 ERR_SUPPRESSED)
  loupe unsuppress --user-id ID | --anonymous-id ID [...]
  loupe delete-user --user-id ID | --anonymous-id ID --yes [...]
      delete the user's events and everything derived from them (findings, violations, delivery-log samples,
      archive lines, warehouse rows); waits until done. Exit 0 done, 1 failed, 2 usage, 3 could not run
`

export async function privacyCommand(command: 'suppress' | 'unsuppress' | 'delete-user', args: string[], io: Output = STDIO): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(PRIVACY_HELP)
    return 0
  }
  let values: Record<string, string | boolean | undefined>
  try {
    values = parseArgs({ args, options: { ...CONNECTION, 'user-id': { type: 'string' }, 'anonymous-id': { type: 'string' }, yes: { type: 'boolean' } }, allowPositionals: false }).values
    if ((values['user-id'] === undefined) === (values['anonymous-id'] === undefined)) throw new Error('give exactly one of --user-id and --anonymous-id')
    if (command === 'delete-user' && values.yes !== true) throw new Error('deleting a user’s data cannot be undone: add --yes')
  } catch (error) {
    io.err(`loupe ${command}: ${(error as Error).message}\n${PRIVACY_HELP}`)
    return 2
  }
  const who = values['user-id'] !== undefined ? { userId: values['user-id'] as string } : { anonymousId: values['anonymous-id'] as string }
  let admin
  try {
    admin = await connect(values as Record<string, string | undefined>)
  } catch (error) {
    io.err(`loupe ${command}: ${(error as Error).message}\n`)
    return 3
  }
  const post = (path: string, body: unknown) => call(admin, path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  try {
    if (command === 'suppress') {
      const s = (await (await post('/api/privacy/suppressions', who)).json()) as Suppression
      io.out(`Suppressed (${s.kind}, keyed hash ${s.idHash.slice(0, 12)}…): new events of this user are refused.\n`)
      return 0
    }
    if (command === 'unsuppress') {
      const { removed } = (await (await post('/api/privacy/suppressions/remove', who)).json()) as { removed: boolean }
      io.out(removed ? 'Unsuppressed: new events of this user are accepted again.\n' : 'This user was not suppressed.\n')
      return 0
    }
    let deletion = (await (await post('/api/privacy/deletions', { ...who, confirm: true })).json()) as Deletion
    while (deletion.state === 'running') {
      await new Promise((resolve) => setTimeout(resolve, 200))
      deletion = (await (await call(admin, `/api/privacy/deletions/${deletion.id}`)).json()) as Deletion
    }
    if (deletion.state === 'failed') {
      io.err(`loupe delete-user: deletion ${deletion.id} failed: ${deletion.error}\n`)
      return 1
    }
    io.out(`Deleted: ${count(deletion.events, 'event')}, ${count(deletion.deliverySamples, 'delivery-log sample')}, ${count(deletion.archiveLines, 'archive line')}, ${count(deletion.warehouseRows, 'warehouse row')} (deletion ${deletion.id}).\n`)
    return 0
  } catch (error) {
    io.err(`loupe ${command}: ${(error as Error).message}\n`)
    return 3
  } finally {
    await admin.close()
  }
}

const count = (n: number, noun: string): string => `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`
