// Deleting a user's data (a regulation request): their events — for a userId also every event identity
// resolution attributed to their profile — and everything derived from them — the PII
// findings, violations and quarantine live on the event rows and go with them (the PII inventory counts them out); search index rows by trigger;
// delivery-log samples that contain the id are scrubbed; their identity profile is forgotten; archive lines and warehouse rows are removed by the
// destinations that keep them. The audit record (deletions table) keeps the id only as its SHA-256.
// Runs as a job on the main thread: store work in chunks, so ingest keeps going meanwhile.

import type { Deletion } from '../../../src-shared/privacy'
import type { EngineContext } from '../context'
import type { ForgetUser } from '../destinations/driver'

const PAGE = 500

export async function runDeletion(ctx: EngineContext, id: number, who: ForgetUser): Promise<void> {
  const progress = (args: Omit<Parameters<typeof ctx.store.command<'privacy.deletionProgress'>>[1], 'id'>) => ctx.store.command('privacy.deletionProgress', { id, ...args })
  // Freed pages are overwritten while this user's rows are deleted (SQLite's secure_delete), so the file keeps no copy.
  await ctx.store.command('privacy.secureDelete', { on: true })
  try {
    // Their events: those carrying the id, and — for a userId — every event identity resolution attributed to
    // their profile (their anonymous browsing before login, other devices). Only attributed events: a shared
    // device's anonymous id also sits on other people's events, which resolve to those people's profiles.
    // Everything received before the request, here and at every destination alike: events that arrive while
    // the job runs are kept everywhere (suppress the user to refuse them), so Loupe and its archive and
    // warehouse never disagree about which of the user's events exist.
    const before = Date.now()
    const profile = who.kind === 'userId' ? profileOf(ctx, who) : null
    const pages: (() => number[])[] = [() => ctx.queries.search({ [who.kind]: who.id, to: before, limit: PAGE }).events.map((e) => Number(e.id))]
    if (profile !== null) {
      pages.push(() => ctx.db.prepare('SELECT p.event_id FROM event_profiles p JOIN events e ON e.id = p.event_id WHERE p.profile_id = ? AND e.received_at < ? ORDER BY p.event_id DESC LIMIT ?').pluck().all(profile, before, PAGE) as number[])
    }
    for (const page of pages) {
      let upTo = 0
      // Page by page, newest first: the first id seen is the largest; nothing grows with the user's history.
      for (;;) {
        const ids = page()
        if (ids.length === 0) break
        if (upTo === 0) upTo = ids[0]!
        // Their delivery-log samples and dead-letter reasons first (found by the events' ids, not by text).
        const samples = await ctx.store.command('privacy.scrubDeliveries', { eventIds: ids })
        let deleted = 0
        for (let n = -1; n !== 0; deleted += n) n = await ctx.store.command('events.clear', { scope: { kind: 'ids', ids }, upTo, chunk: PAGE, reason: 'a privacy deletion', uncountPii: true })
        await progress({ state: 'running', events: deleted, deliverySamples: samples })
        if (deleted === 0) break // nothing left that the search can find and the clear may remove
      }
    }
    // Destinations forget the user ids of the profile (never shared: one profile holds a user id); its anonymous
    // ids may be on other people's rows there, so they are not sent.
    const whos = [who, ...(profile === null ? [] : otherUserIds(ctx, profile, who))].map((one) => ({ ...one, before }))
    const scrub = (text: string): string => whos.reduce((out, one) => out.split(one.id).join('<id>'), text)
    const failures: string[] = []
    for (const destination of ctx.destinations.list()) {
      const worker = ctx.router.worker(destination.id)
      if (!worker?.driver.forgetUser) continue
      // A round that read the user's events before they were deleted ends first; later rounds cannot see them.
      await worker.settled()
      try {
        for (const one of whos) {
          const removed = await worker.driver.forgetUser(one)
          await progress(destination.kind === 'warehouse' ? { state: 'running', warehouseRows: removed } : { state: 'running', archiveLines: removed })
        }
      } catch (error) {
        // One destination that cannot be reached does not stop the others.
        failures.push(`${destination.name}: ${scrub((error as Error).message)}`)
      }
    }
    if (failures.length > 0) {
      // The profile stays until every destination has forgotten its user ids: a retry finds them again.
      await progress({ state: 'failed', error: `Loupe's own copy of the events is deleted, but ${failures.join('; ')} — request the deletion again (same id) once it can be reached` })
      return
    }
    // Their profile: identities, links, traits, computed values, audience memberships (identity/commands.ts).
    await ctx.store.command('identity.forget', { kind: who.kind === 'userId' ? 'user_id' : 'anonymous_id', value: who.id })
    await progress({ state: 'done' })
  } catch (error) {
    await progress({ state: 'failed', error: (error as Error).message.split(who.id).join('<id>') }).catch(() => undefined)
  } finally {
    await ctx.store.command('privacy.secureDelete', { on: false }).catch(() => undefined)
  }
}

/** The identity profile that holds this user id, or null. */
function profileOf(ctx: EngineContext, who: ForgetUser): number | null {
  const id = ctx.db.prepare("SELECT profile_id FROM identities WHERE kind = 'user_id' AND value = ?").pluck().get(who.id) as number | undefined
  return id ?? null
}

function otherUserIds(ctx: EngineContext, profile: number, who: ForgetUser): ForgetUser[] {
  const values = ctx.db.prepare("SELECT value FROM identities WHERE profile_id = ? AND kind = 'user_id' AND value != ?").pluck().all(profile, who.id) as string[]
  return values.map((id) => ({ kind: 'userId', id }))
}

export interface DeletionDb {
  id: number
  kind: 'userId' | 'anonymousId'
  id_hash: string
  state: Deletion['state']
  requested_at: number
  finished_at: number | null
  events: number
  delivery_samples: number
  archive_lines: number
  warehouse_rows: number
  error: string | null
}

export function toDeletion(row: DeletionDb): Deletion {
  return {
    id: row.id,
    kind: row.kind,
    idHash: row.id_hash,
    state: row.state,
    requestedAt: new Date(row.requested_at).toISOString(),
    finishedAt: row.finished_at === null ? null : new Date(row.finished_at).toISOString(),
    events: row.events,
    deliverySamples: row.delivery_samples,
    archiveLines: row.archive_lines,
    warehouseRows: row.warehouse_rows,
    error: row.error
  }
}
