// Audience membership (store thread): after each slice, the profiles whose traits or computed values changed
// are evaluated against every audience; entering or leaving writes the membership and, unless the graph is
// being rebuilt, an outbox row in the same transaction — the main thread turns it into events (emitter.ts).

import type { Database, Statement } from 'better-sqlite3'
import type { AudienceDefinition } from '../../../src-shared/identity'
import { qualifies } from './conditions'
import type { ComputedTraitsWriter, TraitDef } from './computed'

export interface AudienceDef {
  id: number
  key: string
  definition: AudienceDefinition
  state: 'computing' | 'live'
  sweepCursor: number
  /** The hidden count trait of each event condition, by condition index. */
  eventTraits: Map<number, TraitDef>
  /** Every computed trait it reads (its own hidden ones and those of computed conditions): it waits for them. */
  traitIds: number[]
}

export class AudienceWriter {
  private defs: AudienceDef[] = []
  private readonly traitsOf: Statement<[number], { key: string; value: string }>
  private readonly valueOf: Statement<unknown[], { value: string; computed_day: number }>
  private readonly isMember: Statement<unknown[], number>
  private readonly enter: Statement<unknown[]>
  private readonly leave: Statement<unknown[]>
  private readonly dropProfile: Statement<unknown[]>
  private readonly carryMemberships: Statement<unknown[]>
  private readonly membershipsOf: Statement<[number], number>
  private readonly outbox: Statement<unknown[]>
  private readonly userIdOf: Statement<[number], string>
  private readonly anonymousIdOf: Statement<[number], string>

  constructor(private readonly db: Database, private readonly computed: ComputedTraitsWriter) {
    this.traitsOf = db.prepare('SELECT key, value FROM profile_traits WHERE profile_id = ?')
    this.valueOf = db.prepare('SELECT value, computed_day FROM computed_values WHERE trait_id = ? AND profile_id = ?')
    this.isMember = db.prepare('SELECT 1 FROM audience_members WHERE audience_id = ? AND profile_id = ?').pluck() as Statement<unknown[], number>
    this.enter = db.prepare('INSERT INTO audience_members (audience_id, profile_id, entered_at) VALUES (?, ?, ?)')
    this.leave = db.prepare('DELETE FROM audience_members WHERE audience_id = ? AND profile_id = ?')
    this.dropProfile = db.prepare('DELETE FROM audience_members WHERE profile_id = ?')
    this.membershipsOf = db.prepare('SELECT audience_id FROM audience_members WHERE profile_id = ?').pluck() as Statement<[number], number>
    this.carryMemberships = db.prepare('INSERT INTO audience_members (audience_id, profile_id, entered_at) SELECT audience_id, ?, entered_at FROM audience_members WHERE profile_id = ? ON CONFLICT DO NOTHING')
    this.outbox = db.prepare('INSERT INTO audience_outbox (audience_id, profile_id, entered, at, user_id, anonymous_id) VALUES (?, ?, ?, ?, ?, ?)')
    this.userIdOf = db.prepare("SELECT value FROM identities WHERE profile_id = ? AND kind = 'user_id' ORDER BY last_seen DESC LIMIT 1").pluck() as Statement<[number], string>
    this.anonymousIdOf = db.prepare("SELECT value FROM identities WHERE profile_id = ? AND kind = 'anonymous_id' ORDER BY last_seen DESC LIMIT 1").pluck() as Statement<[number], string>
    this.load()
  }

  load(): void {
    const rows = this.db.prepare('SELECT id, key, definition, state, sweep_cursor FROM audiences ORDER BY id').all() as { id: number; key: string; definition: string; state: 'computing' | 'live'; sweep_cursor: number }[]
    this.defs = rows.map((row) => {
      const eventTraits = new Map<number, TraitDef>()
      for (const def of this.computed.definitions) {
        if (def.audienceId === row.id) eventTraits.set(Number(def.key.slice(def.key.lastIndexOf('_') + 1)), def)
      }
      const definition = JSON.parse(row.definition) as AudienceDefinition
      const traitIds = [...[...eventTraits.values()].map((t) => t.id), ...definition.conditions.flatMap((c) => (c.kind === 'computed' ? [c.traitId] : []))]
      return { id: row.id, key: row.key, definition, state: row.state, sweepCursor: row.sweep_cursor, eventTraits, traitIds }
    })
  }

  get definitions(): readonly AudienceDef[] {
    return this.defs
  }

  /**
   * A merged-away profile's memberships pass to the profile it joined (destinations were told those ids
   * entered); the joined profile is then evaluated, and leaves where it does not qualify.
   */
  merge(from: number, into: number, gains: 'from' | 'into' | null): void {
    // The side that had no user id was announced without it: its memberships are told again under the ids now held.
    if (gains !== null) this.retell(into, this.membershipsOf.all(gains === 'from' ? from : into) as number[])
    this.carryMemberships.run(into, from)
    this.dropProfile.run(from)
  }

  /** A login: every membership of the profile is told again with the user id. */
  gainedUserId(profileId: number): void {
    this.retell(profileId, this.membershipsOf.all(profileId) as number[])
  }

  /** Memberships to send again as entering at the end of the slice, by profile. */
  private readonly toRetell = new Map<number, Set<number>>()

  private retell(profileId: number, audienceIds: number[]): void {
    if (audienceIds.length === 0) return
    const set = this.toRetell.get(profileId) ?? new Set<number>()
    for (const id of audienceIds) set.add(id)
    this.toRetell.set(profileId, set)
  }

  /**
   * Evaluates the profiles against the audiences that are live (or, while one is being computed, those its
   * sweep has passed). `quiet`: record membership without emitting (a rebuild re-derives what was sent).
   */
  evaluate(profiles: Iterable<number>, today: number, now: number, quiet: boolean, only?: AudienceDef): void {
    this.sentNow.clear()
    const audiences = only ? [only] : this.defs
    if (audiences.length === 0) return
    for (const profileId of profiles) {
      let traits: Map<string, unknown> | null = null
      for (const audience of audiences) {
        if (!only && audience.state !== 'live' && profileId > audience.sweepCursor) continue
        const member = qualifies(audience.definition.match, audience.definition.conditions, {
          trait: (key) => {
            traits ??= new Map(this.traitsOf.all(profileId).map((t) => [t.key, JSON.parse(t.value) as unknown]))
            return traits.get(key)
          },
          computed: (traitId) => {
            const def = this.computed.definitions.find((d) => d.id === traitId)
            const value = this.value(def, profileId, today)
            // A count with no events is 0, not absent: "fewer than 2 orders" holds for someone with none.
            return value === undefined && def?.type === 'count' ? 0 : value
          },
          eventCount: (i) => Number(this.value(audience.eventTraits.get(i), profileId, today) ?? 0)
        })
        const was = this.isMember.get(audience.id, profileId) !== undefined
        if (member === was) continue
        if (member) this.enter.run(audience.id, profileId, now)
        else this.leave.run(audience.id, profileId)
        if (!quiet) this.send(audience, profileId, member, now)
      }
    }
  }

  /** Outbox rows of this slice, by audience:profile (a profile told again is not told twice). */
  private readonly sentNow = new Set<string>()

  private send(audience: AudienceDef, profileId: number, entered: boolean, now: number): void {
    const d = audience.definition
    if (d.sourceId === null || (!d.emitIdentify && !d.emitTrack)) return
    this.sentNow.add(`${audience.id}:${profileId}`)
    this.outbox.run(audience.id, profileId, entered ? 1 : 0, now, this.userIdOf.get(profileId) ?? null, this.anonymousIdOf.get(profileId) ?? null)
  }

  /**
   * Memberships announced without a user id the profile now has (a login, a merge) are sent again as entering,
   * with the ids it has now — unless this slice already sent that membership. `live` drops profiles merged away
   * since. Ends the slice's bookkeeping.
   */
  reannounce(live: (profiles: Set<number>) => number[], now: number, quiet: boolean): void {
    if (!quiet && this.toRetell.size > 0) {
      for (const profileId of live(new Set(this.toRetell.keys()))) {
        const member = new Set(this.membershipsOf.all(profileId) as number[])
        for (const audienceId of this.toRetell.get(profileId)!) {
          const audience = this.defs.find((a) => a.id === audienceId)
          if (audience && member.has(audienceId) && !this.sentNow.has(`${audienceId}:${profileId}`)) this.send(audience, profileId, true, now)
        }
      }
    }
    this.toRetell.clear()
    this.sentNow.clear()
  }

  /** A computed value as of `today` (a windowed one computed on an earlier day is brought up to date first). */
  private value(def: TraitDef | undefined, profileId: number, today: number): unknown {
    if (!def) return undefined
    let row = this.valueOf.get(def.id, profileId)
    if (row && def.windowDays !== null && row.computed_day < today) {
      this.computed.recompute(def, profileId, today)
      row = this.valueOf.get(def.id, profileId)
    }
    return row ? (JSON.parse(row.value) as unknown) : undefined
  }
}
