// The identity consumer (store thread): a log consumer with its own cursor, like a destination, that turns
// committed events into the identity graph, profiles, computed traits and audience membership — after commit
// and off the ingest transaction, giving way to the writer (quiet-scheduler.ts). Besides new events it does,
// in this order, the work definitions leave behind: reading history into a new computed trait (backfill),
// evaluating every profile for a new audience (sweep), and sliding windows as days pass (decay).

import type { Database, Statement } from 'better-sqlite3'
import { cursorWriter, readCursor } from '../store/cursors'
import { QuietScheduler, type QuietSchedulerOptions } from '../store/quiet-scheduler'
import { AudienceWriter } from './audiences'
import { ComputedTraitsWriter, dayOf, reads, type TraitDef } from './computed'
import { IdentityGraphWriter } from './graph'
import { IdentifierRules, type EventIds } from './identifiers'
import { audienceMessagePrefix, readIdentitySettings } from './settings'
import { ProfileTraitsWriter } from './traits'

export const IDENTITY_CURSOR = 'identity'

interface Row extends EventIds {
  id: number
  name: string | null
  message_id: string
  timestamp: number
}

interface BackfillRow {
  id: number
  type: string
  name: string | null
  timestamp: number
  payload: string
  profile_id: number
}

const DECAY_EVERY_MS = 3_600_000

/** The calls that carry identities: group calls identify a group, not a person. */
const RESOLVED_TYPES = new Set(['identify', 'alias', 'track', 'page', 'screen'])

export class IdentityConsumer {
  readonly schedule: QuietScheduler
  private position: number
  private rebuildUpto: number
  private rules: IdentifierRules
  private readonly graph: IdentityGraphWriter
  private readonly traits: ProfileTraitsWriter
  readonly computed: ComputedTraitsWriter
  readonly audiences: AudienceWriter
  private readonly select: Statement<[number, number], Row>
  private readonly selectBackfill: Statement<[number, number, number], BackfillRow>
  private readonly linkEvent: Statement<unknown[]>
  private readonly saveCursor: (position: number) => void
  private readonly liveSlice: (rows: Row[]) => void
  private lastDecay = 0
  private readonly audiencePrefix: string
  private decayCursor = 0
  private turns = 0
  private decayTimer: NodeJS.Timeout | null = null
  private readonly selectUpTo: Statement<[number, number, number], Row>
  private readonly pruneBuckets: Statement<unknown[]>
  private readonly staleValues: Statement<unknown[], number>
  private readonly markComputed: Statement<unknown[]>
  private readonly mergedInto: Statement<[number], number | null>

  constructor(private readonly db: Database, private readonly options: QuietSchedulerOptions = {}) {
    this.schedule = new QuietScheduler('identity resolution', (limit) => this.work(limit), options)
    this.position = readCursor(db, IDENTITY_CURSOR)
    this.audiencePrefix = audienceMessagePrefix(db)
    this.rebuildUpto = Number(db.prepare("SELECT value FROM identity_state WHERE key = 'rebuild_upto'").pluck().get() ?? 0)
    this.rules = new IdentifierRules(readIdentitySettings(db))
    this.traits = new ProfileTraitsWriter(db)
    this.computed = new ComputedTraitsWriter(db)
    this.audiences = new AudienceWriter(db, this.computed)
    this.graph = new IdentityGraphWriter(
      db,
      () => this.rules,
      (from, into, gains) => {
        this.traits.merge(from, into)
        this.computed.merge(from, into)
        this.audiences.merge(from, into, gains)
      },
      (profile) => this.audiences.gainedUserId(profile)
    )
    this.select = db.prepare('SELECT id, type, name, user_id, anonymous_id, message_id, timestamp, payload FROM events WHERE id > ? ORDER BY id LIMIT ?')
    this.selectUpTo = db.prepare('SELECT id, type, name, user_id, anonymous_id, message_id, timestamp, payload FROM events WHERE id > ? AND id <= ? ORDER BY id LIMIT ?')
    this.pruneBuckets = db.prepare('DELETE FROM trait_buckets WHERE trait_id = ? AND day < ?')
    // Paged by profile (the primary key's second column): each pass reads every value once.
    this.staleValues = db.prepare('SELECT profile_id FROM computed_values WHERE trait_id = ? AND profile_id > ? AND computed_day < ? ORDER BY profile_id LIMIT ?').pluck() as Statement<unknown[], number>
    this.mergedInto = db.prepare('SELECT merged_into FROM profiles WHERE id = ?').pluck() as Statement<[number], number | null>
    this.markComputed = db.prepare('UPDATE computed_values SET computed_day = ? WHERE trait_id = ? AND profile_id = ?')
    this.selectBackfill = db.prepare(`SELECT e.id, e.type, e.name, e.timestamp, e.payload, p.profile_id FROM events e JOIN event_profiles p ON p.event_id = e.id
      WHERE e.id > ? AND e.id <= ? ORDER BY e.id LIMIT ?`)
    this.linkEvent = db.prepare('INSERT OR REPLACE INTO event_profiles (event_id, profile_id, at) VALUES (?, ?, ?)')
    this.saveCursor = cursorWriter(db, IDENTITY_CURSOR)
    this.liveSlice = db.transaction((rows: Row[]) => this.consume(rows))
  }

  start(): void {
    this.schedule.start()
    // Windows slide as days pass, with or without events.
    this.decayTimer = setInterval(() => this.schedule.wake(), DECAY_EVERY_MS)
    this.decayTimer.unref()
  }

  stop(): void {
    this.schedule.stop()
    if (this.decayTimer) clearInterval(this.decayTimer)
  }

  get enabled(): boolean {
    return this.rules.settings.enabled
  }

  /** Settings or definitions changed (a store command): read them again and get to work. */
  reload(): void {
    this.rules = new IdentifierRules(readIdentitySettings(this.db))
    this.computed.load()
    this.audiences.load()
    this.schedule.wake()
  }

  /**
   * Forgets everything derived and starts again from the first stored event (runs inside a command). Changes
   * are recorded without being sent until it has caught up — unless `fresh` (a QA reset: what is left arrived
   * after it), which also drops changes not sent yet.
   */
  resetForRebuild(fresh = false): void {
    const upto = fresh ? 0 : Number(this.db.prepare('SELECT coalesce(max(id), 0) FROM events').pluck().get())
    this.db.exec(`DELETE FROM profiles; DELETE FROM identities; DELETE FROM identity_edges; DELETE FROM identity_log; DELETE FROM event_profiles;
      DELETE FROM profile_traits; DELETE FROM trait_buckets; DELETE FROM computed_values; DELETE FROM audience_members;
      UPDATE computed_traits SET state = 'live', backfill_upto = 0, backfill_cursor = 0; UPDATE audiences SET state = 'live', sweep_cursor = 0;`)
    if (fresh) this.db.exec('DELETE FROM audience_outbox')
    this.db.prepare("INSERT INTO identity_state (key, value) VALUES ('rebuild_upto', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(String(upto))
    this.saveCursor(0)
    this.position = 0
    this.rebuildUpto = upto
    this.reload()
  }

  /** The position live events have been consumed to (new definitions backfill up to it). */
  get cursor(): number {
    return this.position
  }

  /** Does up to `limit` units of work; returns how many (0: nothing to do now). */
  work(limit: number): number {
    if (!this.enabled) return 0
    // Definitions' work (backfill, sweep, decay) also gets a turn under traffic that never pauses.
    if (++this.turns % 4 === 0) {
      const done = this.background(limit)
      if (done > 0) return done
    }
    // While rebuilding, a slice stops at the rebuild's end, so live events after it are emitted normally.
    const rows = this.quiet ? this.selectUpTo.all(this.position, this.rebuildUpto, limit) : this.select.all(this.position, limit)
    if (rows.length > 0) {
      this.consumeSafely(rows)
      this.position = rows[rows.length - 1]!.id
      return rows.length
    }
    return this.background(limit)
  }

  private background(limit: number): number {
    const backfilling = this.computed.definitions.filter((d) => d.state === 'computing')
    if (backfilling.length > 0) return (this.db.transaction(() => this.backfill(backfilling, limit)) as () => number)()
    const live = new Set(this.computed.definitions.filter((d) => d.state === 'live').map((d) => d.id))
    const sweeping = this.audiences.definitions.find((a) => a.state === 'computing' && a.traitIds.every((id) => live.has(id)))
    if (sweeping) return (this.db.transaction(() => this.sweep(sweeping.id, limit)) as () => number)()
    if (Date.now() - this.lastDecay >= DECAY_EVERY_MS) {
      const done = (this.db.transaction(() => this.decay(limit)) as () => number)()
      if (done === 0) {
        this.lastDecay = Date.now()
        this.decayCursor = 0
      }
      return done
    }
    return 0
  }

  /** Everything committed so far, and the work it leaves (tests and tools; the thread does it on its own). */
  catchUp(): void {
    while (this.work(5000) > 0);
  }

  private get quiet(): boolean {
    return this.position < this.rebuildUpto
  }

  /**
   * One transaction per slice; if it fails, its events one by one, so an event that cannot be resolved (a
   * bug, a corrupt payload) is logged and skipped instead of stopping identity resolution for good.
   */
  private consumeSafely(rows: Row[]): void {
    try {
      this.liveSlice(rows)
      return
    } catch (error) {
      this.discard()
      if (rows.length === 1) {
        this.options.log?.(`identity resolution skipped event ${rows[0]!.id}: ${(error as Error).message}`)
        this.saveCursor(rows[0]!.id)
        return
      }
    }
    for (const row of rows) this.consumeSafely([row])
  }

  private discard(): void {
    this.graph.discard()
    this.computed.discard()
    this.audiences.reannounce(() => [], 0, true)
  }

  private consume(rows: Row[]): void {
    const touched = new Set<number>()
    for (const row of rows) {
      const profile = this.consumeRow(row)
      if (profile !== null) touched.add(profile)
    }
    this.graph.flush()
    const today = dayOf(Date.now())
    for (const p of this.computed.recomputeDirty(today)) touched.add(p)
    this.audiences.evaluate(this.current(touched), today, Date.now(), this.quiet)
    this.audiences.reannounce((profiles) => this.current(profiles), Date.now(), this.quiet)
    this.saveCursor(rows[rows.length - 1]!.id)
  }

  /** The event's profile, or null (no identifiers, or a call type that identifies no one). */
  private consumeRow(row: Row): number | null {
    // Loupe's own audience events (emitter.ts) are not the person's activity: they would count in computed
    // traits, move last-seen, and let an audience's trait overwrite a real one of the same name.
    if (!RESOLVED_TYPES.has(row.type) || row.message_id.startsWith(this.audiencePrefix)) return null
    const rules = this.rules
    const defs = this.computed.definitions
    const ctx = { eventId: row.id, at: row.timestamp }
    const wantsTraits = row.type === 'identify'
    const traitDefs = defs.length > 0 ? defs.filter((d) => reads(d, row.type, row.name)) : defs
    const needsMessage = wantsTraits || rules.needsPayload(row) || traitDefs.some((d) => d.path !== null)
    const message = needsMessage ? parse(row.payload) : null
    const { ids, blocked } = rules.extract(row, message)
    for (const id of blocked) this.graph.recordBlocked(id, ctx)
    const profile = this.graph.resolve(ids, ctx)
    if (profile === null) return null
    this.linkEvent.run(row.id, profile, row.timestamp)
    if (wantsTraits && message) this.traits.apply(profile, message.traits, row.timestamp, row.id)
    for (const def of traitDefs) this.computed.addEvent(def, profile, row.timestamp, message)
    return profile
  }

  /** Reads already-consumed history into computed traits that were just defined. */
  private backfill(defs: TraitDef[], limit: number): number {
    const from = Math.min(...defs.map((d) => d.backfillCursor))
    const upto = Math.max(...defs.map((d) => d.backfillUpto))
    const rows = this.selectBackfill.all(from, upto, limit)
    for (const row of rows) {
      let message: Record<string, unknown> | null | undefined
      for (const def of defs) {
        if (row.id <= def.backfillCursor || row.id > def.backfillUpto || !reads(def, row.type, row.name)) continue
        if (message === undefined) message = def.path ? parse(row.payload) : null
        else if (message === null && def.path) message = parse(row.payload)
        this.computed.addEvent(def, row.profile_id, row.timestamp, message)
      }
    }
    const reached = rows.length < limit ? upto : rows[rows.length - 1]!.id
    const save = this.db.prepare("UPDATE computed_traits SET backfill_cursor = ?, state = CASE WHEN ? >= backfill_upto THEN 'live' ELSE state END WHERE id = ?")
    for (const def of defs) save.run(Math.max(def.backfillCursor, Math.min(reached, def.backfillUpto)), reached, def.id)
    const today = dayOf(Date.now())
    const changed = this.computed.recomputeDirty(today)
    this.computed.load()
    this.audiences.load()
    this.audiences.evaluate(this.current(changed), today, Date.now(), this.quiet)
    return Math.max(rows.length, 1)
  }

  /** Evaluates every profile for an audience being computed; its first members are emitted as entering. */
  private sweep(audienceId: number, limit: number): number {
    const audience = this.audiences.definitions.find((a) => a.id === audienceId)!
    const ids = this.db.prepare('SELECT id FROM profiles WHERE merged_into IS NULL AND id > ? ORDER BY id LIMIT ?').pluck().all(audience.sweepCursor, limit) as number[]
    this.audiences.evaluate(ids, dayOf(Date.now()), Date.now(), this.quiet, audience)
    const done = ids.length < limit
    this.db.prepare("UPDATE audiences SET sweep_cursor = ?, state = CASE WHEN ? THEN 'live' ELSE state END WHERE id = ?").run(ids.length > 0 ? ids[ids.length - 1]! : audience.sweepCursor, done ? 1 : 0, audienceId)
    this.audiences.load()
    return Math.max(ids.length, 1)
  }

  /**
   * Windowed values computed on an earlier day are brought up to date (profiles may leave audiences), paging
   * through profiles; buckets that left every window are pruned once per pass.
   */
  private decay(limit: number): number {
    const today = dayOf(Date.now())
    const windowed = this.computed.definitions.filter((d) => d.windowDays !== null && d.state === 'live')
    if (windowed.length === 0) return 0
    if (this.decayCursor === 0) for (const def of windowed) this.pruneBuckets.run(def.id, today - def.windowDays! + 1)
    const changed = new Set<number>()
    let last = this.decayCursor
    let seen = 0
    for (const def of windowed) {
      for (const profileId of this.staleValues.all(def.id, this.decayCursor, today, limit) as number[]) {
        seen++
        last = Math.max(last, profileId)
        if (this.computed.recompute(def, profileId, today)) changed.add(profileId)
        else this.markComputed.run(today, def.id, profileId)
      }
    }
    this.audiences.evaluate(this.current(changed), today, Date.now(), this.quiet)
    if (seen === 0) return 0
    this.decayCursor = last
    return seen
  }

  /** Profiles merged away during the slice are not evaluated (the profile they joined is). */
  private current(profiles: Set<number>): number[] {
    if (profiles.size === 0) return []
    return [...profiles].filter((p) => this.mergedInto.get(p) === null)
  }
}

function parse(payload: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(payload) as unknown
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null
  } catch {
    return null
  }
}
