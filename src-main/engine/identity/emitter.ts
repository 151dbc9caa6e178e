// Sends audience changes as events (main thread): the store thread writes an outbox row in the same
// transaction as a membership change; this turns each row into Segment Engage's events — `identify` with the
// trait `<audience_key>: true|false` and/or a `track` `Audience Entered` / `Audience Exited` — ingested into the
// audience's source like any event (so they reach its destinations), then deletes the row. The messageIds
// derive from the row's id (never reused), so a crash between the write and the delete sends nothing twice:
// the retry is deduplicated by (source, messageId).

import type { Database } from 'better-sqlite3'
import { AUDIENCE_ENTERED, AUDIENCE_EXITED, type AudienceDefinition } from '../../../src-shared/identity'
import { audienceMessagePrefix } from './settings'
import type { EventRow } from '../store/event-row'
import type { StoreThread } from '../store/store-thread'
import { detectAtIngest } from '../privacy/ingest-privacy'
import type { PrivacyPolicy } from '../privacy/policy'

interface OutboxRow {
  id: number
  audience_id: number
  profile_id: number
  entered: number
  at: number
  user_id: string | null
  anonymous_id: string | null
}

const BATCH = 500

export class AudienceEmitter {
  private timer: NodeJS.Timeout | null = null
  private running: Promise<void> | null = null
  private stopped = false
  private prefix: string | undefined

  constructor(
    private readonly db: Database,
    private readonly store: StoreThread,
    private readonly privacy: PrivacyPolicy,
    private readonly sourceExists: (id: number) => boolean,
    private readonly log: (message: string) => void,
    private readonly pollMs = 200
  ) {}

  start(): void {
    this.stopped = false
    this.timer = setInterval(() => void this.drain(), this.pollMs)
    this.timer.unref()
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearInterval(this.timer)
    await this.running
  }

  /** Sends what is waiting (one drain at a time). */
  drain(): Promise<void> {
    this.running ??= this.drainAll().finally(() => (this.running = null))
    return this.running
  }

  private async drainAll(): Promise<void> {
    try {
      while (!this.stopped) {
        const rows = this.db.prepare('SELECT * FROM audience_outbox ORDER BY id LIMIT ?').all(BATCH) as OutboxRow[]
        if (rows.length === 0) return
        const audiences = new Map<number, { key: string; definition: AudienceDefinition } | null>()
        const events: EventRow[] = []
        const messages: Record<string, unknown>[] = []
        for (const row of rows) {
          if (!audiences.has(row.audience_id)) {
            const a = this.db.prepare('SELECT key, definition FROM audiences WHERE id = ?').get(row.audience_id) as { key: string; definition: string } | undefined
            audiences.set(row.audience_id, a ? { key: a.key, definition: JSON.parse(a.definition) as AudienceDefinition } : null)
          }
          const audience = audiences.get(row.audience_id)
          if (!audience || (row.user_id === null && row.anonymous_id === null)) continue
          // A suppressed user's changes are not sent (their own events are refused at ingest too).
          if (this.privacy.isSuppressed(row.user_id, row.anonymous_id)) continue
          const { sourceId } = audience.definition
          if (sourceId === null || !this.sourceExists(sourceId)) continue
          for (const message of audienceMessages(row, audience.key, audience.definition, (this.prefix ??= audienceMessagePrefix(this.db)))) {
            const payload = JSON.stringify(message)
            messages.push(message)
            events.push({
              sourceId,
              type: message.type as 'identify' | 'track',
              name: (message.event as string | undefined) ?? null,
              userId: row.user_id,
              anonymousId: row.anonymous_id,
              messageId: message.messageId as string,
              messageIdGenerated: false,
              receivedAt: Date.now(),
              timestamp: row.at,
              originalTimestamp: row.at,
              sentAt: null,
              size: Buffer.byteLength(payload),
              warnings: null,
              payload
            })
          }
        }
        const bySource = new Map<number, number[]>()
        events.forEach((e, i) => {
          const list = bySource.get(e.sourceId)
          if (list) list.push(i)
          else bySource.set(e.sourceId, [i])
        })
        for (const [sourceId, idx] of bySource) detectAtIngest(this.privacy, sourceId, idx.map((i) => events[i]!), idx.map((i) => messages[i]!))
        if (events.length > 0) await this.store.write(events)
        await this.store.command('identity.outboxDone', { ids: rows.map((r) => r.id) })
      }
    } catch (error) {
      this.log(`sending audience changes failed (they stay queued and are sent again): ${(error as Error).message}`)
    }
  }
}

/** Segment Engage's shapes: identify with the audience trait, track Audience Entered/Exited, context.personas. */
function audienceMessages(row: OutboxRow, key: string, d: AudienceDefinition, prefix: string): Record<string, unknown>[] {
  const ids = { ...(row.user_id !== null ? { userId: row.user_id } : {}), ...(row.anonymous_id !== null ? { anonymousId: row.anonymous_id } : {}) }
  const timestamp = new Date(row.at).toISOString()
  const context = {
    library: { name: 'loupe', version: 'audiences' },
    personas: { computation_class: 'audience', computation_id: String(row.audience_id), computation_key: key, namespace: 'loupe', profile_id: String(row.profile_id) }
  }
  const entered = row.entered === 1
  const out: Record<string, unknown>[] = []
  if (d.emitIdentify) out.push({ type: 'identify', ...ids, messageId: `${prefix}${row.id}-identify`, timestamp, traits: { [key]: entered }, context })
  if (d.emitTrack) {
    out.push({ type: 'track', event: entered ? AUDIENCE_ENTERED : AUDIENCE_EXITED, ...ids, messageId: `${prefix}${row.id}-track`, timestamp, properties: { audience_key: key, [key]: entered }, context })
  }
  return out
}
