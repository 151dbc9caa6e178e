// Profile traits (store thread): the latest value of each identify trait across all of a profile's
// identities, by the time of the event that set it (ties: the later event). A merge keeps the newer of each.

import type { Database, Statement } from 'better-sqlite3'

/** Traits kept per identify call and per profile at most, and the largest value (JSON) kept. */
const MAX_TRAITS = 200
const MAX_PROFILE_TRAITS = 1000
const MAX_VALUE_BYTES = 4096
const MAX_KEY_LENGTH = 200

const NEWER = 'WHERE excluded.at > profile_traits.at OR (excluded.at = profile_traits.at AND excluded.event_id > profile_traits.event_id)'

export class ProfileTraitsWriter {
  private readonly upsert: Statement<unknown[]>
  private readonly mergeInto: Statement<unknown[]>
  private readonly drop: Statement<unknown[]>
  private readonly count: Statement<[number], number>
  private readonly update: Statement<unknown[]>

  constructor(db: Database) {
    this.upsert = db.prepare(`INSERT INTO profile_traits (profile_id, key, value, at, event_id) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (profile_id, key) DO UPDATE SET value = excluded.value, at = excluded.at, event_id = excluded.event_id ${NEWER}`)
    this.mergeInto = db.prepare(`INSERT INTO profile_traits (profile_id, key, value, at, event_id) SELECT ?, key, value, at, event_id FROM profile_traits WHERE profile_id = ?
      ON CONFLICT (profile_id, key) DO UPDATE SET value = excluded.value, at = excluded.at, event_id = excluded.event_id ${NEWER}`)
    this.drop = db.prepare('DELETE FROM profile_traits WHERE profile_id = ?')
    this.count = db.prepare('SELECT count(*) FROM profile_traits WHERE profile_id = ?').pluck() as Statement<[number], number>
    this.update = db.prepare(`UPDATE profile_traits SET value = ?, at = ?, event_id = ? WHERE profile_id = ? AND key = ? AND (? > at OR (? = at AND ? > event_id))`)
  }

  /** An identify's traits; returns whether it had any. */
  apply(profileId: number, traits: unknown, at: number, eventId: number): boolean {
    if (typeof traits !== 'object' || traits === null || Array.isArray(traits)) return false
    let n = 0
    // A profile full of keys (a client sending a new key each time) only updates the ones it has.
    const full = this.count.get(profileId)! >= MAX_PROFILE_TRAITS
    for (const [key, value] of Object.entries(traits)) {
      if (value === undefined || key.length > MAX_KEY_LENGTH) continue
      let json = JSON.stringify(value)
      // Too large to keep: the newer value still replaces the older one, as a note of what arrived.
      if (json.length > MAX_VALUE_BYTES) json = JSON.stringify({ loupe_not_kept: `a value of ${json.length} characters (more than ${MAX_VALUE_BYTES} are not kept)` })
      if (full) this.update.run(json, at, eventId, profileId, key, at, at, eventId)
      else this.upsert.run(profileId, key, json, at, eventId)
      if (++n >= MAX_TRAITS) break
    }
    return n > 0
  }

  merge(from: number, into: number): void {
    this.mergeInto.run(into, from)
    this.drop.run(from)
  }
}
