// Identity reads for the admin API (main thread, read connection): status, profile search, the profile page,
// one profile's graph, the audit trail, computed traits and audiences. Values come back as parsed JSON and
// are rendered as text by the UI (event data is attacker-controlled).

import type { Database, Statement } from 'better-sqlite3'
import type {
  Audience,
  AudienceDefinition,
  ComputedTrait,
  ComputedTraitDefinition,
  Identity,
  IdentityGraph,
  IdentityLogEntry,
  IdentityLogKind,
  IdentityStatus,
  ProfileDetail,
  ProfileSummary
} from '../../../src-shared/identity'
import { readCursor } from '../store/cursors'
import { IDENTITY_CURSOR } from './consumer'
import { readIdentitySettings } from './settings'

const iso = (ms: number): string => new Date(ms).toISOString()

interface ProfileRow {
  id: number
  first_seen: number
  last_seen: number
  merged_into: number | null
}

interface NodeRow {
  id: number
  kind: string
  value: string
  profile_id: number
  first_event_id: number
  first_seen: number
  last_seen: number
}

interface LogRow {
  id: number
  kind: IdentityLogKind
  at: number
  event_id: number
  identity: string
  other: string | null
  from_profile: number | null
  into_profile: number | null
  reason: string
  count: number
  last_event_id: number
}

const splitId = (s: string): { kind: string; value: string } => {
  const cut = s.indexOf(':')
  return { kind: s.slice(0, cut), value: s.slice(cut + 1) }
}

export function toLogEntry(row: LogRow): IdentityLogEntry {
  return {
    id: row.id,
    kind: row.kind,
    at: iso(row.at),
    eventId: String(row.event_id),
    identity: splitId(row.identity),
    other: row.other === null ? null : splitId(row.other),
    fromProfile: row.from_profile,
    intoProfile: row.into_profile,
    reason: row.reason,
    count: row.count,
    lastEventId: String(row.last_event_id)
  }
}

export class IdentityReads {
  private readonly profile: Statement<[number], ProfileRow>
  private readonly nodes: Statement<[number], NodeRow>
  private readonly emailTrait: Statement<[number], string>

  constructor(private readonly db: Database) {
    this.profile = db.prepare('SELECT id, first_seen, last_seen, merged_into FROM profiles WHERE id = ?')
    this.nodes = db.prepare('SELECT id, kind, value, profile_id, first_event_id, first_seen, last_seen FROM identities WHERE profile_id = ? ORDER BY first_event_id, id')
    this.emailTrait = db.prepare("SELECT value FROM profile_traits WHERE profile_id = ? AND key = 'email'").pluck() as Statement<[number], string>
  }

  status(): IdentityStatus {
    const one = (sql: string): number => Number(this.db.prepare(sql).pluck().get() ?? 0)
    const position = readCursor(this.db, IDENTITY_CURSOR)
    const rebuildUpto = Number(this.db.prepare("SELECT value FROM identity_state WHERE key = 'rebuild_upto'").pluck().get() ?? 0)
    return {
      enabled: readIdentitySettings(this.db).enabled,
      position,
      latestEventId: one('SELECT coalesce(max(id), 0) FROM events'),
      rebuilding: position < rebuildUpto,
      profiles: one('SELECT count(*) FROM profiles WHERE merged_into IS NULL'),
      identities: one('SELECT count(*) FROM identities'),
      merges: one("SELECT count(*) FROM identity_log WHERE kind = 'merge'"),
      refusedMerges: one("SELECT coalesce(sum(count), 0) FROM identity_log WHERE kind = 'refused'")
    }
  }

  /** The profile an id leads to now (merged profiles lead to the one they joined), or null. */
  resolve(id: number): number | null {
    for (let hops = 0, current = id; hops < 64; hops++) {
      const row = this.profile.get(current)
      if (!row) return null
      if (row.merged_into === null) return row.id
      current = row.merged_into
    }
    return null
  }

  /** Newest first; `q` matches any identifier or trait value exactly or by prefix, or `#<profile id>`. */
  search(q: string, limit: number, before: { lastSeen: number; id: number } | null): ProfileSummary[] {
    const text = q.trim()
    if (text === '') {
      const rows = before
        ? (this.db.prepare('SELECT id FROM profiles WHERE merged_into IS NULL AND (last_seen < ? OR (last_seen = ? AND id < ?)) ORDER BY last_seen DESC, id DESC LIMIT ?').pluck().all(before.lastSeen, before.lastSeen, before.id, limit) as number[])
        : (this.db.prepare('SELECT id FROM profiles WHERE merged_into IS NULL ORDER BY last_seen DESC, id DESC LIMIT ?').pluck().all(limit) as number[])
      return rows.map((id) => this.summary(id)!).filter(Boolean)
    }
    const ids = new Set<number>()
    const byId = /^#?(\d{1,15})$/.exec(text)
    if (byId) {
      const found = this.resolve(Number(byId[1]))
      if (found !== null) ids.add(found)
    }
    // Identifiers keep their case (user ids), e-mails are stored lower-cased: try the text as typed and in lower case.
    const variants = [...new Set([text, text.toLowerCase()])]
    const prefix = this.db.prepare('SELECT profile_id FROM identities WHERE value >= ? AND value < ? LIMIT ?').pluck()
    const traitPrefix = this.db.prepare('SELECT profile_id FROM profile_traits WHERE value >= ? AND value < ? LIMIT ?').pluck()
    for (const v of variants) for (const id of prefix.all(v, `${v}\uffff`, limit) as number[]) ids.add(id)
    if (ids.size < limit) {
      // Traits are stored as JSON: a string trait "abc" starts with '"abc'.
      for (const v of variants) {
        const json = JSON.stringify(v).slice(0, -1)
        for (const id of traitPrefix.all(json, `${json}\uffff`, limit) as number[]) ids.add(id)
      }
      if (/^-?\d+(\.\d+)?$/.test(text)) for (const id of this.db.prepare('SELECT profile_id FROM profile_traits WHERE value = ? LIMIT ?').pluck().all(text, limit) as number[]) ids.add(id)
    }
    return [...ids].slice(0, limit).map((id) => this.summary(id)).filter((p): p is ProfileSummary => p !== null).sort((a, b) => (a.lastSeen < b.lastSeen ? 1 : -1))
  }

  summary(id: number): ProfileSummary | null {
    const row = this.profile.get(id)
    if (!row) return null
    return this.toSummary(row, this.nodes.all(id))
  }

  private toSummary(row: ProfileRow, nodes: NodeRow[]): ProfileSummary {
    const userId = nodes.find((n) => n.kind === 'user_id')?.value ?? null
    const emailTrait = this.emailTrait.get(row.id)
    const traitEmail = emailTrait ? (JSON.parse(emailTrait) as unknown) : null
    // Only something that reads as an address names the profile (not "", "N/A" or a blocked value).
    const email = nodes.find((n) => n.kind === 'email')?.value ?? (typeof traitEmail === 'string' && /^[^@\s]+@[^@\s]+$/.test(traitEmail.trim()) ? traitEmail.trim() : null)
    const label = email ?? userId ?? nodes.find((n) => n.kind === 'anonymous_id')?.value ?? (nodes[0]?.value || `profile ${row.id}`)
    return { id: row.id, label, userId, identities: nodes.length, firstSeen: iso(row.first_seen), lastSeen: iso(row.last_seen) }
  }

  detail(id: number): ProfileDetail | null {
    const row = this.profile.get(id)
    if (!row || row.merged_into !== null) return null
    const nodes = this.nodes.all(id)
    const linkedBy = this.howJoined(id, nodes)
    const identityList: Identity[] = nodes.map((n) => ({
      kind: n.kind,
      value: n.value,
      firstSeen: iso(n.first_seen),
      lastSeen: iso(n.last_seen),
      firstEventId: String(n.first_event_id),
      linkedBy: linkedBy.get(n.id) ?? null
    }))
    const traits = (this.db.prepare('SELECT key, value, at, event_id FROM profile_traits WHERE profile_id = ? ORDER BY key').all(id) as { key: string; value: string; at: number; event_id: number }[])
      .map((t) => ({ key: t.key, value: JSON.parse(t.value) as unknown, at: iso(t.at), eventId: String(t.event_id) }))
    const computed = (this.db.prepare('SELECT t.id, t.name, t.key, v.value FROM computed_values v JOIN computed_traits t ON t.id = v.trait_id WHERE v.profile_id = ? AND t.audience_id IS NULL ORDER BY t.name').all(id) as { id: number; name: string; key: string; value: string }[])
      .map((c) => ({ traitId: c.id, name: c.name, key: c.key, value: JSON.parse(c.value) as unknown }))
    const audiences = (this.db.prepare('SELECT a.id, a.name, a.key, m.entered_at FROM audience_members m JOIN audiences a ON a.id = m.audience_id WHERE m.profile_id = ? ORDER BY a.name').all(id) as { id: number; name: string; key: string; entered_at: number }[])
      .map((a) => ({ id: a.id, name: a.name, key: a.key, enteredAt: iso(a.entered_at) }))
    return {
      ...this.toSummary(row, nodes),
      identityList,
      traits,
      computed,
      audiences,
      events: Number(this.db.prepare('SELECT count(*) FROM event_profiles WHERE profile_id = ?').pluck().get(id)),
      mergedFrom: this.db.prepare('SELECT id FROM profiles WHERE merged_into = ? ORDER BY id').pluck().all(id) as number[]
    }
  }

  /**
   * How each identifier joined the profile: the tree of earliest links (by event) that connects it — the same
   * tree as growing from the first identifier by the earliest link out each time — read from the first one
   * outwards, so every answer points back towards it, never in a circle, and a merge shows as the link whose
   * event joined the two. One query for the profile's links; Kruskal's algorithm then a walk from the root.
   */
  private howJoined(profileId: number, nodes: NodeRow[]): Map<number, NonNullable<Identity['linkedBy']>> {
    const out = new Map<number, NonNullable<Identity['linkedBy']>>()
    if (nodes.length < 2) return out
    const byId = new Map(nodes.map((n) => [n.id, n]))
    const edges = this.db
      .prepare('SELECT e.a, e.b, e.event_id, e.at FROM identities i JOIN identity_edges e ON e.a = i.id WHERE i.profile_id = ? AND e.refused = 0 ORDER BY e.event_id')
      .all(profileId) as { a: number; b: number; event_id: number; at: number }[]
    const parent = new Map<number, number>()
    const find = (x: number): number => {
      let root = x
      while (parent.has(root)) root = parent.get(root)!
      while (x !== root) {
        const next = parent.get(x)!
        parent.set(x, root)
        x = next
      }
      return root
    }
    const tree = new Map<number, { other: number; event_id: number; at: number }[]>()
    const add = (x: number, other: number, e: { event_id: number; at: number }): void => {
      tree.set(x, [...(tree.get(x) ?? []), { other, event_id: e.event_id, at: e.at }])
    }
    for (const e of edges) {
      if (!byId.has(e.b)) continue
      const [ra, rb] = [find(e.a), find(e.b)]
      if (ra === rb) continue
      parent.set(ra, rb)
      add(e.a, e.b, e)
      add(e.b, e.a, e)
    }
    const queue = [nodes[0]!.id]
    const seen = new Set(queue)
    while (queue.length > 0) {
      const x = queue.shift()!
      for (const link of tree.get(x) ?? []) {
        if (seen.has(link.other)) continue
        seen.add(link.other)
        const from = byId.get(x)!
        out.set(link.other, { kind: from.kind, value: from.value, eventId: String(link.event_id), at: iso(link.at) })
        queue.push(link.other)
      }
    }
    return out
  }

  graph(id: number): IdentityGraph | null {
    const row = this.profile.get(id)
    if (!row || row.merged_into !== null) return null
    const own = this.nodes.all(id)
    const nodes = new Map(own.map((n) => [n.id, n]))
    const edgeRows = this.db.prepare('SELECT a, b, event_id, at, refused FROM identity_edges WHERE a = ? UNION SELECT a, b, event_id, at, refused FROM identity_edges WHERE b = ? LIMIT 500')
    const node = this.db.prepare('SELECT id, kind, value, profile_id, first_event_id, first_seen, last_seen FROM identities WHERE id = ?')
    const edges = new Map<string, IdentityGraph['edges'][number]>()
    for (const n of own.slice(0, 500)) {
      for (const e of edgeRows.all(n.id, n.id) as { a: number; b: number; event_id: number; at: number; refused: number }[]) {
        // A refused link leads out of the profile: its far end is shown too, marked by its own profile.
        for (const end of [e.a, e.b]) if (!nodes.has(end)) nodes.set(end, node.get(end) as NodeRow)
        edges.set(`${e.a}:${e.b}`, { from: e.a, to: e.b, eventId: String(e.event_id), at: iso(e.at), refused: e.refused === 1 })
      }
    }
    return {
      profileId: id,
      nodes: [...nodes.values()].filter(Boolean).map((n) => ({ id: n.id, kind: n.kind, value: n.value, profileId: n.profile_id, firstSeen: iso(n.first_seen) })),
      edges: [...edges.values()],
      log: this.log({ profile: id, limit: 200 })
    }
  }

  /** The audit trail, newest first: all of it, one profile's (merged into / away from / kept apart), or one kind. */
  log(filter: { profile?: number; kind?: IdentityLogKind; limit: number; before?: number }): IdentityLogEntry[] {
    const where: string[] = []
    const params: unknown[] = []
    if (filter.profile !== undefined) {
      const merged = this.db.prepare('SELECT id FROM profiles WHERE merged_into = ?').pluck().all(filter.profile) as number[]
      const all = [filter.profile, ...merged]
      where.push(`(into_profile IN (${all.map(() => '?').join(',')}) OR from_profile IN (${all.map(() => '?').join(',')}))`)
      params.push(...all, ...all)
    }
    if (filter.kind) {
      where.push('kind = ?')
      params.push(filter.kind)
    }
    if (filter.before !== undefined) {
      where.push('id < ?')
      params.push(filter.before)
    }
    const sql = `SELECT * FROM identity_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`
    return (this.db.prepare(sql).all(...params, filter.limit) as LogRow[]).map(toLogEntry)
  }

  computedTraits(): ComputedTrait[] {
    const rows = this.db.prepare('SELECT id, name, key, definition, state, created_at, (SELECT count(*) FROM computed_values v WHERE v.trait_id = t.id) AS profiles FROM computed_traits t WHERE audience_id IS NULL ORDER BY name').all() as {
      id: number; name: string; key: string; definition: string; state: 'computing' | 'live'; created_at: number; profiles: number
    }[]
    return rows.map((r) => ({ ...(JSON.parse(r.definition) as ComputedTraitDefinition), id: r.id, name: r.name, key: r.key, state: r.state, profiles: r.profiles, createdAt: iso(r.created_at) }))
  }

  audiences(): Audience[] {
    const rows = this.db.prepare('SELECT id, name, key, definition, state, created_at, (SELECT count(*) FROM audience_members m WHERE m.audience_id = a.id) AS members FROM audiences a ORDER BY name').all() as {
      id: number; name: string; key: string; definition: string; state: 'computing' | 'live'; created_at: number; members: number
    }[]
    return rows.map((r) => ({ ...(JSON.parse(r.definition) as AudienceDefinition), id: r.id, name: r.name, key: r.key, state: r.state, members: r.members, createdAt: iso(r.created_at) }))
  }

  /** Members, newest first. */
  members(audienceId: number, limit: number): ProfileSummary[] {
    const ids = this.db.prepare('SELECT profile_id FROM audience_members WHERE audience_id = ? ORDER BY entered_at DESC LIMIT ?').pluck().all(audienceId, limit) as number[]
    return ids.map((id) => this.summary(id)).filter((p): p is ProfileSummary => p !== null)
  }
}
