// Identity store commands (store thread): settings, rebuild, computed-trait and audience definitions, and the
// outbox the main thread has sent. Each runs in one transaction; the consumer then reloads what changed.

import type { Database } from 'better-sqlite3'
import type { AudienceDefinition, ComputedTraitDefinition } from '../../../src-shared/identity'
import type { IdentityConsumer } from './consumer'

export interface IdentityCommandMap {
  /** IdentitySettings as JSON; rebuild: forget the graph and build it again from every stored event. */
  'identity.setSettings': { args: { settings: string; rebuild: boolean }; result: null }
  /** fresh (a QA reset): nothing old is left to re-derive, so changes are sent at once and unsent ones dropped. */
  'identity.rebuild': { args: { fresh?: boolean }; result: null }
  /** A new computed trait; it reads history up to now in the background (state 'computing'). Returns its id. */
  'identity.traitCreate': { args: { name: string; key: string; definition: ComputedTraitDefinition }; result: number }
  /** A changed definition is computed again from history; false: no such trait. */
  'identity.traitUpdate': { args: { id: number; name: string; key: string; definition: ComputedTraitDefinition | null }; result: boolean }
  'identity.traitDelete': { args: { id: number }; result: boolean }
  'identity.audienceCreate': { args: { name: string; key: string; definition: AudienceDefinition }; result: number }
  /** A changed definition re-evaluates every profile (entering and leaving are sent); false: no such audience. */
  'identity.audienceUpdate': { args: { id: number; name: string; key: string; definition: AudienceDefinition; recompute: boolean }; result: boolean }
  'identity.audienceDelete': { args: { id: number }; result: boolean }
  /** A privacy deletion: the profile holding this identifier goes, with its whole graph, traits and memberships. Returns profiles removed. */
  'identity.forget': { args: { kind: 'user_id' | 'anonymous_id'; value: string }; result: number }
  /** Outbox rows the main thread has turned into committed events. */
  'identity.outboxDone': { args: { ids: number[] }; result: null }
}

type Handlers = { [K in keyof IdentityCommandMap]: (args: IdentityCommandMap[K]['args']) => IdentityCommandMap[K]['result'] }
type Tx = <A, R>(fn: (args: A) => R) => (args: A) => R

export function identityCommands(db: Database, tx: Tx, consumer: () => IdentityConsumer): Handlers {
  const insertTrait = db.prepare("INSERT INTO computed_traits (name, key, definition, state, backfill_upto, backfill_cursor, audience_id, created_at) VALUES (?, ?, ?, 'computing', ?, 0, ?, ?)")
  const forgetTrait = (id: number): void => {
    db.prepare('DELETE FROM trait_buckets WHERE trait_id = ?').run(id)
    db.prepare('DELETE FROM computed_values WHERE trait_id = ?').run(id)
  }
  // An audience's event conditions are hidden count traits over their window, keyed aud_<audience>_<condition>.
  const createEventTraits = (audienceId: number, definition: AudienceDefinition): void => {
    definition.conditions.forEach((c, i) => {
      if (c.kind !== 'event') return
      const hidden: ComputedTraitDefinition = { name: `audience ${audienceId} condition ${i}`, type: 'count', event: c.event, property: null, windowDays: c.withinDays }
      insertTrait.run(hidden.name, `aud_${audienceId}_${i}`, JSON.stringify(hidden), consumer().cursor, audienceId, Date.now())
    })
  }
  const dropEventTraits = (audienceId: number): void => {
    for (const id of db.prepare('SELECT id FROM computed_traits WHERE audience_id = ?').pluck().all(audienceId) as number[]) forgetTrait(id)
    db.prepare('DELETE FROM computed_traits WHERE audience_id = ?').run(audienceId)
  }
  const reloaded = <A, R>(fn: (args: A) => R) => {
    const run = tx(fn)
    return (args: A): R => {
      const result = run(args)
      consumer().reload()
      return result
    }
  }

  return {
    'identity.setSettings': reloaded((args) => {
      db.prepare("INSERT INTO identity_state (key, value) VALUES ('settings', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(args.settings)
      if (args.rebuild) consumer().resetForRebuild()
      return null
    }),
    'identity.rebuild': reloaded((args) => {
      consumer().resetForRebuild(args.fresh === true)
      return null
    }),
    'identity.traitCreate': reloaded((args) => Number(insertTrait.run(args.name, args.key, JSON.stringify(args.definition), consumer().cursor, null, Date.now()).lastInsertRowid)),
    'identity.traitUpdate': reloaded((args) => {
      const found = db.prepare('UPDATE computed_traits SET name = ?, key = ? WHERE id = ? AND audience_id IS NULL').run(args.name, args.key, args.id).changes > 0
      if (found && args.definition) {
        forgetTrait(args.id)
        db.prepare("UPDATE computed_traits SET definition = ?, state = 'computing', backfill_upto = ?, backfill_cursor = 0 WHERE id = ?").run(JSON.stringify(args.definition), consumer().cursor, args.id)
        // Audiences reading it wait for the new values, then evaluate every profile again (no flapping on partial values).
        for (const audience of consumer().audiences.definitions) {
          if (audience.traitIds.includes(args.id)) db.prepare("UPDATE audiences SET state = 'computing', sweep_cursor = 0 WHERE id = ?").run(audience.id)
        }
      }
      return found
    }),
    'identity.traitDelete': reloaded((args) => {
      forgetTrait(args.id)
      return db.prepare('DELETE FROM computed_traits WHERE id = ? AND audience_id IS NULL').run(args.id).changes > 0
    }),
    'identity.audienceCreate': reloaded((args) => {
      const id = Number(db.prepare("INSERT INTO audiences (name, key, definition, state, sweep_cursor, created_at) VALUES (?, ?, ?, 'computing', 0, ?)").run(args.name, args.key, JSON.stringify(args.definition), Date.now()).lastInsertRowid)
      createEventTraits(id, args.definition)
      return id
    }),
    'identity.audienceUpdate': reloaded((args) => {
      const found = db.prepare('UPDATE audiences SET name = ?, key = ?, definition = ? WHERE id = ?').run(args.name, args.key, JSON.stringify(args.definition), args.id).changes > 0
      if (found && args.recompute) {
        dropEventTraits(args.id)
        createEventTraits(args.id, args.definition)
        db.prepare("UPDATE audiences SET state = 'computing', sweep_cursor = 0 WHERE id = ?").run(args.id)
      }
      return found
    }),
    'identity.audienceDelete': reloaded((args) => {
      dropEventTraits(args.id)
      db.prepare('DELETE FROM audience_members WHERE audience_id = ?').run(args.id)
      db.prepare('DELETE FROM audience_outbox WHERE audience_id = ?').run(args.id)
      return db.prepare('DELETE FROM audiences WHERE id = ?').run(args.id).changes > 0
    }),
    'identity.forget': reloaded((args) => forgetProfile(db, args.kind, args.value)),
    'identity.outboxDone': tx((args) => {
      const done = db.prepare('DELETE FROM audience_outbox WHERE id = ?')
      for (const id of args.ids) done.run(id)
      return null
    })
  }
}

/** Removes the profile that holds an identifier, and everything derived about it (privacy deletions). */
function forgetProfile(db: Database, kind: string, value: string): number {
  const profile = db.prepare('SELECT profile_id FROM identities WHERE kind = ? AND value = ?').pluck().get(kind, value) as number | undefined
  if (profile === undefined) return 0
  const ids = [profile, ...(db.prepare('SELECT id FROM profiles WHERE merged_into = ?').pluck().all(profile) as number[])]
  const nodes = db.prepare('SELECT id, kind, value FROM identities WHERE profile_id = ?').all(profile) as { id: number; kind: string; value: string }[]
  for (const node of nodes) {
    db.prepare('DELETE FROM identity_edges WHERE a = ? OR b = ?').run(node.id, node.id)
    const text = `${node.kind}:${node.value}`
    db.prepare('DELETE FROM identity_log WHERE identity = ? OR other = ?').run(text, text)
  }
  for (const id of ids) {
    db.prepare('DELETE FROM identity_log WHERE from_profile = ? OR into_profile = ?').run(id, id)
    db.prepare('DELETE FROM profiles WHERE id = ?').run(id)
  }
  db.prepare('DELETE FROM identities WHERE profile_id = ?').run(profile)
  db.prepare('DELETE FROM event_profiles WHERE profile_id = ?').run(profile)
  db.prepare('DELETE FROM profile_traits WHERE profile_id = ?').run(profile)
  for (const traitId of db.prepare('SELECT id FROM computed_traits').pluck().all() as number[]) db.prepare('DELETE FROM trait_buckets WHERE trait_id = ? AND profile_id = ?').run(traitId, profile)
  db.prepare('DELETE FROM computed_values WHERE profile_id = ?').run(profile)
  db.prepare('DELETE FROM audience_members WHERE profile_id = ?').run(profile)
  db.prepare('DELETE FROM audience_outbox WHERE profile_id = ?').run(profile)
  return ids.length
}
