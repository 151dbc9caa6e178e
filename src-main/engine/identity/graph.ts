// The identity graph (store thread): nodes are identifiers, edges the events that carried two of them, and a
// profile is a connected set of identifiers that the merge rules allowed together. Resolution is flat
// matching, as Segment Unify does it: identifiers in priority order; the profile of the highest-priority
// identifier already known takes the others in; joining another profile merges the two unless a limit would
// break (then the merge is refused and recorded); a new identifier that would break a limit starts its own
// profile. Every merge, refusal and blocked value goes into identity_log with the event that caused it.

import type { Database, Statement } from 'better-sqlite3'
import { ANONYMOUS_ID, USER_ID } from '../../../src-shared/identity'
import { PREVIOUS_ID, type Identifier, type IdentifierRules } from './identifiers'

interface Node {
  id: number
  kind: string
  value: string
  profile_id: number
}

export interface ResolveContext {
  eventId: number
  at: number
}

export class IdentityGraphWriter {
  private readonly find: Statement<[string, string], Node>
  private readonly insertNode: Statement<unknown[]>
  private readonly insertProfile: Statement<unknown[]>
  private readonly kindCounts: Statement<[number], { kind: string; n: number }>
  private readonly eventCount: Statement<[number], number>
  private readonly insertEdge: Statement<unknown[]>
  private readonly refuseEdge: Statement<unknown[]>
  private readonly logEntry: Statement<unknown[]>
  private readonly moveNodes: Statement<unknown[]>
  private readonly moveEvents: Statement<unknown[]>
  private readonly retire: Statement<unknown[]>
  private readonly repoint: Statement<unknown[]>
  private readonly widen: Statement<unknown[]>
  private readonly touchNode: Statement<unknown[]>
  private readonly touchProfile: Statement<unknown[]>
  /** Last-seen times noted during a slice, written once per node / profile at its end. */
  private readonly nodeSeen = new Map<number, number>()
  private readonly profileSeen = new Map<number, number>()

  constructor(
    db: Database,
    private readonly rules: () => IdentifierRules,
    /** Everything hanging off a profile (traits, computed values, audiences) follows a merge. */
    /**
     * `gains`: which side had no user id while the other had one — its memberships were announced without the
     * user id (null: both or neither had one).
     */
    private readonly onMerge: (from: number, into: number, gains: 'from' | 'into' | null) => void,
    /** A login: a profile that had no user id got one (its memberships were announced without it). */
    private readonly onUserId: (profile: number) => void
  ) {
    this.find = db.prepare('SELECT id, kind, value, profile_id FROM identities WHERE kind = ? AND value = ?')
    this.insertNode = db.prepare('INSERT INTO identities (kind, value, profile_id, first_event_id, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?)')
    this.insertProfile = db.prepare('INSERT INTO profiles (first_seen, last_seen) VALUES (?, ?)')
    this.kindCounts = db.prepare('SELECT kind, count(*) AS n FROM identities WHERE profile_id = ? GROUP BY kind')
    // Bounded: past 10,000 events either side is "large", and counting further would cost every merge.
    this.eventCount = db.prepare('SELECT count(*) FROM (SELECT 1 FROM event_profiles WHERE profile_id = ? LIMIT 10000)').pluck() as Statement<[number], number>
    // A link refused once and followed later (limits changed) becomes a link, from the event that followed it.
    this.insertEdge = db.prepare('INSERT INTO identity_edges (a, b, event_id, at, refused) VALUES (?, ?, ?, ?, 0) ON CONFLICT (a, b) DO UPDATE SET refused = 0, event_id = excluded.event_id, at = excluded.at WHERE refused = 1')
    this.refuseEdge = db.prepare('INSERT INTO identity_edges (a, b, event_id, at, refused) VALUES (?, ?, ?, ?, 1) ON CONFLICT DO NOTHING')
    this.logEntry = db.prepare(`INSERT INTO identity_log (kind, at, event_id, identity, other, from_profile, into_profile, reason, last_event_id, dedupe)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe) DO UPDATE SET count = count + 1, last_event_id = excluded.last_event_id`)
    this.moveNodes = db.prepare('UPDATE identities SET profile_id = ? WHERE profile_id = ?')
    this.moveEvents = db.prepare('UPDATE event_profiles SET profile_id = ? WHERE profile_id = ?')
    this.retire = db.prepare('UPDATE profiles SET merged_into = ? WHERE id = ?')
    this.repoint = db.prepare('UPDATE profiles SET merged_into = ? WHERE merged_into = ?')
    this.widen = db.prepare('UPDATE profiles SET first_seen = min(first_seen, (SELECT first_seen FROM profiles WHERE id = ?)), last_seen = max(last_seen, (SELECT last_seen FROM profiles WHERE id = ?)) WHERE id = ?')
    this.touchNode = db.prepare('UPDATE identities SET last_seen = max(last_seen, ?) WHERE id = ?')
    this.touchProfile = db.prepare('UPDATE profiles SET last_seen = max(last_seen, ?), first_seen = min(first_seen, ?) WHERE id = ?')
  }

  /** Resolves an event's identifiers (priority order) into a profile; returns the event's profile. */
  resolve(ids: Identifier[], ctx: ResolveContext): number | null {
    if (ids.length === 0) return null
    const rules = this.rules()
    const nodes = ids.map((id) => this.lookup(id))
    let target: number | null = null
    for (const node of nodes) if (node && target === null) target = node.profile_id
    const placed: Node[] = []
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!
      const kind = id.kind === PREVIOUS_ID ? ANONYMOUS_ID : id.kind
      let node = nodes[i]
      if (!node) {
        if (target === null) target = this.newProfile(ctx.at)
        if (this.count(target, kind) < rules.limit(kind)) {
          if (kind === USER_ID && nodes.some(Boolean) && this.count(target, USER_ID) === 0) this.onUserId(target)
          node = this.createNode(kind, id.value, target, ctx)
        } else if (placed.length === 0) {
          // The event's first identifier cannot join: it leads a profile of its own, which the rest of the
          // event's identifiers then try to join (the known one that could not take it is refused below).
          target = this.newProfile(ctx.at)
          node = this.createNode(kind, id.value, target, ctx)
        } else {
          // Demoted: a lower-priority identifier starts a profile of its own, kept apart from this one.
          node = this.createNode(kind, id.value, this.newProfile(ctx.at), ctx)
          this.refuse(node, placed[0]!, target, `profile ${target} already holds ${rules.limit(kind)} ${kind} (the limit)`, ctx)
        }
      } else if (target !== null && node.profile_id !== target) {
        const breach = this.breach(target, node.profile_id, rules)
        if (breach === null) {
          const [a, b] = [node.profile_id, target]
          target = this.merge(a, b, node, placed[0] ?? null, ctx)
          // Every node of the event that sat in either profile is in the kept one now (placed or still to come).
          for (const n of [...placed, ...nodes]) if (n && (n.profile_id === a || n.profile_id === b)) n.profile_id = target
        } else {
          this.refuse(node, placed[0] ?? null, target, breach, ctx)
        }
      }
      this.nodeSeen.set(node.id, Math.max(this.nodeSeen.get(node.id) ?? 0, ctx.at))
      if (placed.length > 0 && node.profile_id === placed[0]!.profile_id) this.link(placed[0]!, node, ctx)
      placed.push(node)
    }
    const profile = placed[0]!.profile_id
    this.profileSeen.set(profile, Math.max(this.profileSeen.get(profile) ?? 0, ctx.at))
    return profile
  }

  /** A blocked value is recorded (once per value, counted after that) and never joins anything. */
  recordBlocked(id: Identifier, ctx: ResolveContext): void {
    const kind = id.kind === PREVIOUS_ID ? 'previous_id' : id.kind
    this.logEntry.run('blocked', ctx.at, ctx.eventId, `${kind}:${id.value}`, null, null, null, `"${id.value}" is a blocked value`, ctx.eventId, `blocked:${kind}:${id.value}`)
  }

  /** Writes the last-seen times noted during the slice. */
  flush(): void {
    for (const [id, at] of this.nodeSeen) this.touchNode.run(at, id)
    for (const [id, at] of this.profileSeen) this.touchProfile.run(at, at, id)
    this.nodeSeen.clear()
    this.profileSeen.clear()
  }

  /** Forgets what a slice noted, after its transaction rolled back. */
  discard(): void {
    this.nodeSeen.clear()
    this.profileSeen.clear()
  }

  private lookup(id: Identifier): Node | undefined {
    if (id.kind !== PREVIOUS_ID) return this.find.get(id.kind, id.value)
    return this.find.get(USER_ID, id.value) ?? this.find.get(ANONYMOUS_ID, id.value)
  }

  private newProfile(at: number): number {
    return Number(this.insertProfile.run(at, at).lastInsertRowid)
  }

  private createNode(kind: string, value: string, profile: number, ctx: ResolveContext): Node {
    const id = Number(this.insertNode.run(kind, value, profile, ctx.eventId, ctx.at, ctx.at).lastInsertRowid)
    return { id, kind, value, profile_id: profile }
  }

  private count(profile: number, kind: string): number {
    return this.kindCounts.all(profile).find((c) => c.kind === kind)?.n ?? 0
  }

  /** Why the two profiles may not merge (the first limit it would break), or null. */
  private breach(a: number, b: number, rules: IdentifierRules): string | null {
    const counts = new Map<string, number>()
    for (const p of [a, b]) for (const c of this.kindCounts.all(p)) counts.set(c.kind, (counts.get(c.kind) ?? 0) + c.n)
    const kinds = [...counts.keys()].sort((x, y) => rules.compare(x, y))
    for (const kind of kinds) {
      if (counts.get(kind)! > rules.limit(kind)) return `merging profiles ${a} and ${b} would give ${counts.get(kind)} ${kind} (limit ${rules.limit(kind)})`
    }
    return null
  }

  /** Merges the smaller profile (fewer events to move) into the larger; returns the one that stays. */
  private merge(a: number, b: number, node: Node, with_: Node | null, ctx: ResolveContext): number {
    const [from, into] = this.eventCount.get(a)! > this.eventCount.get(b)! ? [b, a] : [a, b]
    const fromUser = this.count(from, USER_ID) > 0
    const intoUser = this.count(into, USER_ID) > 0
    this.moveNodes.run(into, from)
    this.moveEvents.run(into, from)
    this.widen.run(from, from, into)
    this.retire.run(into, from)
    this.repoint.run(into, from)
    this.onMerge(from, into, fromUser === intoUser ? null : fromUser ? 'into' : 'from')
    const other = with_ ? this.describe(with_) : null
    this.logEntry.run('merge', ctx.at, ctx.eventId, this.describe(node), other, from, into, `${this.describeNode(node)} was seen with ${other ?? 'it'}`, ctx.eventId, null)
    this.profileSeen.delete(from)
    return into
  }

  private refuse(node: Node, with_: Node | null, target: number, reason: string, ctx: ResolveContext): void {
    if (with_) {
      const [a, b] = node.id < with_.id ? [node.id, with_.id] : [with_.id, node.id]
      this.refuseEdge.run(a, b, ctx.eventId, ctx.at)
    }
    const other = with_ ? this.describe(with_) : null
    const dedupe = `refused:${node.id}:${with_?.id ?? 0}:${target}`
    this.logEntry.run('refused', ctx.at, ctx.eventId, this.describe(node), other, node.profile_id, target, reason, ctx.eventId, dedupe)
  }

  private link(a: Node, b: Node, ctx: ResolveContext): void {
    if (a.id === b.id) return
    this.insertEdge.run(Math.min(a.id, b.id), Math.max(a.id, b.id), ctx.eventId, ctx.at)
  }

  private describe(node: Node): string {
    return `${node.kind}:${node.value}`
  }

  private describeNode(node: Node): string {
    return `${node.kind} "${node.value}"`
  }
}
