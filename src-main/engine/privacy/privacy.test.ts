// Privacy end to end: a real engine, real tracking requests, destinations at a loopback receiver and a file
// archive in a temp folder. Detection at ingest, controls on what leaves, suppression and deletion.

import { createHash, createHmac } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Destination, EventRecord, EventSummary } from '../../../src-shared/api'
import type { Deletion, PiiInventory } from '../../../src-shared/privacy'
import { Receiver } from '../routing/test-receiver'
import { readJson, startTestEngine, type TestEngine } from '../test-engine'
import { useTempDirs } from '../test-temp-dirs'

let t: TestEngine
let receiver: Receiver
const tempDir = useTempDirs('loupe-privacy-')

const json = (method: string, body: unknown): RequestInit => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
const sha = (text: string): string => createHash('sha256').update(text).digest('hex')
/** How the engine keeps ids: keyed with its data dir's salt. */
const keyed = (id: string): string => createHmac('sha256', t.engine.context.privacy.salt).update(id).digest('hex')

beforeAll(async () => {
  t = await startTestEngine()
  receiver = new Receiver()
  await receiver.listen()
})
afterAll(async () => {
  await t.stop()
  await receiver.close()
})

async function source(name: string): Promise<{ id: number; writeKey: string }> {
  return readJson(await t.admin('/api/sources', json('POST', { name, writeKey: `wk_${name.toLowerCase()}_privacy` })))
}

async function destination(body: Record<string, unknown>): Promise<Destination> {
  const res = await t.admin('/api/destinations', json('POST', { name: 'Hook', kind: 'webhook', settings: { url: receiver.url }, ...body }))
  expect(res.status, JSON.stringify(await res.clone().json())).toBe(201)
  return readJson(res)
}

const byMessageId = async (messageId: string): Promise<EventRecord> => {
  const summary = (await t.get(`/api/events?messageId=${messageId}`)).events[0] as EventSummary
  return t.get(`/api/events/${summary.id}`) as Promise<EventRecord>
}

const CARD = '4242 4242 4242 4242'

describe('detection at ingest', () => {
  it('finds personal data in traits, properties and context, with masked samples only', async () => {
    const s = await source('Detect')
    const batch = [
      { type: 'identify', userId: 'u-1', messageId: 'd-1', traits: { email: 'Ada@Example.com', phone: '+44 20 7946 0958', plan: 'pro' } },
      { type: 'track', userId: 'u-1', messageId: 'd-2', event: 'Paid', properties: { card_number: CARD, order_id: '4242424242424241', total: 20 }, context: { ip: '203.0.113.9' } },
      { type: 'track', userId: 'u-1', messageId: 'd-3', event: 'Clean', properties: { sku: 'SKU-123', price: 9.99 } }
    ]
    expect((await t.track('/v1/batch', { batch }, s.writeKey)).status).toBe(200)
    const identify = await byMessageId('d-1')
    expect(identify.findings.map((f) => [f.pointer, f.matcher, f.classification]).sort()).toEqual([['/traits/email', 'email', 'yellow'], ['/traits/phone', 'phone', 'yellow']])
    expect(JSON.stringify(identify.findings)).not.toContain('Ada@Example.com')
    expect(identify.pii).toBe('yellow')
    const paid = await byMessageId('d-2')
    expect(paid.findings.map((f) => [f.pointer, f.matcher]).sort()).toEqual([['/context/ip', 'ip_address'], ['/properties/card_number', 'credit_card']])
    expect(paid.pii).toBe('red')
    expect(JSON.stringify(paid.findings)).not.toContain('4242 4242 4242 4242')
    expect((await byMessageId('d-3')).findings).toEqual([])

    const inventory = (await t.get(`/api/privacy/inventory?source=${s.id}`)) as PiiInventory
    expect(inventory.fields.map((f) => [f.path, f.matcher, f.classification, f.count]).sort()).toEqual([
      ['context.ip', 'ip_address', 'yellow', 1],
      ['properties.card_number', 'credit_card', 'red', 1],
      ['traits.email', 'email', 'yellow', 1],
      ['traits.phone', 'phone', 'yellow', 1]
    ])
    expect(inventory.inbox).toBe(4)
    const listed = (await t.get(`/api/events?source=${s.id}&pii=1`)).events as EventSummary[]
    expect(listed.map((e) => e.messageId).sort()).toEqual(['d-1', 'd-2'])

    // Triage: reclassify the phone field; it leaves the inbox and every finding there follows.
    const triaged = await readJson(await t.admin('/api/privacy/inventory/triage', json('POST', { sourceId: s.id, path: 'traits.phone', matcher: 'phone', classification: 'red' })))
    expect(triaged).toMatchObject({ classification: 'red', triaged: true })
    expect(((await t.get(`/api/privacy/inventory?source=${s.id}`)) as PiiInventory).inbox).toBe(3)
    expect((await byMessageId('d-1')).pii).toBe('red')
    const csv = await (await t.admin(`/api/privacy/inventory.csv?source=${s.id}`)).text()
    expect(csv.split('\r\n')[0]).toBe('source,field,matcher,classification,events,first_seen,last_seen,destinations,triaged')
    expect(csv).toContain('Detect,traits.phone,phone,red,1,')
  })

  it('runs custom matchers and refuses a pattern that does not compile, naming it', async () => {
    const bad = await t.admin('/api/privacy/settings', json('PUT', { custom: [{ name: 'Employee id', target: 'value', pattern: '(unclosed', classification: 'red' }] }))
    expect(bad.status).toBe(400)
    expect((await readJson(bad)).error.field).toBe('custom[0].pattern')
    expect((await t.admin('/api/privacy/settings', json('PUT', { custom: [{ name: 'Employee id', target: 'value', pattern: '^EMP-\\d{6}$', classification: 'red' }] }))).status).toBe(200)
    const s = await source('Custom')
    expect((await t.track('/v1/track', { userId: 'u', event: 'Badge', messageId: 'c-1', properties: { badge: 'EMP-123456' } }, s.writeKey)).status).toBe(200)
    expect((await byMessageId('c-1')).findings).toEqual([expect.objectContaining({ pointer: '/properties/badge', matcher: 'custom:employee_id', classification: 'red' })])
    expect((await t.admin('/api/privacy/settings', json('PUT', {}))).status).toBe(200)
  })
})

describe('controls', () => {
  it('masks, hashes or drops per class at each destination; the stored event keeps what was sent', async () => {
    const s = await source('Controls')
    const hashing = await destination({ name: 'Ads', sourceIds: [s.id], privacy: { red: 'drop', yellow: 'hash' } })
    const masking = await destination({ name: 'Support', sourceIds: [s.id], privacy: { red: 'mask', yellow: 'hash_salted' } })
    expect(hashing.privacy).toEqual({ red: 'drop', yellow: 'hash', green: 'pass' })
    expect((await t.track('/v1/identify', { userId: 'u-9', messageId: 'k-1', traits: { email: ' Ada@Example.com ', password: 'hunter2', plan: 'pro' } }, s.writeKey)).status).toBe(200)
    await expect.poll(() => receiver.events().filter((e) => e.messageId === 'k-1').length).toBe(2)
    const sent = receiver.events().filter((e) => e.messageId === 'k-1')
    const dropped = sent.find((e: any) => e.traits.password === undefined)
    const masked = sent.find((e: any) => e.traits.password === '***')
    expect(dropped.traits).toEqual({ email: sha('ada@example.com'), plan: 'pro' })
    expect(masked.traits.email).toMatch(/^[0-9a-f]{64}$/)
    expect(masked.traits.email).not.toBe(sha('ada@example.com'))
    expect((await byMessageId('k-1')).payload).toMatchObject({ traits: { email: ' Ada@Example.com ', password: 'hunter2' } })
    expect(masking.privacy.red).toBe('mask')
    const refused = await t.admin(`/api/destinations/${hashing.id}`, json('PATCH', { privacy: { red: 'encrypt' } }))
    expect((await readJson(refused)).error.field).toBe('privacy.red')
  })

  it('masks or hashes only the address inside a URL or a message, keeping the rest of the value', async () => {
    const s = await source('Embedded')
    await destination({ name: 'Masked URLs', sourceIds: [s.id], privacy: { yellow: 'mask' } })
    await destination({ name: 'Hashed URLs', sourceIds: [s.id], privacy: { yellow: 'hash' } })
    const url = 'https://shop.example/welcome?email=Ada%40Example.com&step=2'
    const note = 'Write to ada@example.com or erin@example.net: thanks'
    expect((await t.track('/v1/page', { userId: 'u-e', messageId: 'em-1', context: { page: { url } }, properties: { note } }, s.writeKey)).status).toBe(200)
    await expect.poll(() => receiver.events().filter((e) => e.messageId === 'em-1').length).toBe(2)
    const [first, second] = receiver.events().filter((e) => e.messageId === 'em-1') as any[]
    const masked = first.context.page.url.includes('***') ? first : second
    const hashed = masked === first ? second : first
    expect(masked.context.page.url).toBe('https://shop.example/welcome?email=***&step=2')
    expect(masked.properties.note).toBe('Write to *** or ***: thanks')
    // Hashed as the e-mail it is (trimmed, lower-cased): the form ad platforms match on.
    expect(hashed.context.page.url).toBe(`https://shop.example/welcome?email=${sha('ada@example.com')}&step=2`)
    expect(hashed.properties.note).toBe(`Write to ${sha('ada@example.com')} or ${sha('erin@example.net')}: thanks`)
    expect((await byMessageId('em-1')).payload).toMatchObject({ context: { page: { url } }, properties: { note } })

    // Reading @-fragments is bounded per event when rewriting too: past the budget, values are replaced whole.
    const versions = `${Array.from({ length: 60 }, (_, i) => `p${i}@1.0`).join(' ')} ada@example.com`
    const notes = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`n${i}`, versions]))
    expect((await t.track('/v1/track', { userId: 'u-e', event: 'Notes', messageId: 'em-2', properties: notes }, s.writeKey)).status).toBe(200)
    await expect.poll(() => receiver.events().filter((e) => e.messageId === 'em-2').length).toBe(2)
    const masked2 = receiver.events().find((e) => e.messageId === 'em-2' && !/^[0-9a-f]{64}$/.test(e.properties.n19) && e.properties.n0.endsWith('***'))
    expect(masked2.properties.n0).toBe(versions.replace('ada@example.com', '***'))
    expect(masked2.properties.n19).toBe('***')
  })

  it('controls everything in an event past the detector’s bounds, and a source blocking red data holds it', async () => {
    const s = await source('Crowded')
    await destination({ name: 'Crowded hook', sourceIds: [s.id], privacy: { red: 'drop', yellow: 'mask' } })
    const invitees = Array.from({ length: 120 }, (_, i) => `friend${i}@example.com`)
    expect((await t.track('/v1/track', { userId: 'u-c', event: 'Invited', messageId: 'cr-1', properties: { invitees, card: CARD } }, s.writeKey)).status).toBe(200)
    await expect.poll(() => receiver.events().find((e) => e.messageId === 'cr-1')).toBeDefined()
    const sent = receiver.events().find((e) => e.messageId === 'cr-1')
    // 100 findings at ingest; delivery scans the rest too: every address masked, the card (found past them) dropped.
    expect(sent.properties.invitees).toEqual(invitees.map(() => '***'))
    expect(sent.properties.card).toBeUndefined()
    const stored = await byMessageId('cr-1')
    expect(stored.findings).toHaveLength(100)
    expect(stored.payload).toMatchObject({ properties: { card: CARD } })

    // A source that blocks red data cannot clear what was not looked at: held.
    expect((await t.admin(`/api/sources/${s.id}/privacy`, json('PUT', { blockRed: true }))).status).toBe(200)
    expect((await t.track('/v1/track', { userId: 'u-c', event: 'Invited', messageId: 'cr-2', properties: { invitees } }, s.writeKey)).status).toBe(200)
    expect((await byMessageId('cr-2')).quarantine).toBe('held')
    expect((await byMessageId('cr-2')).validation!.blockedBecause).toMatch(/too large for privacy detection/)
    expect((await t.track('/v1/track', { userId: 'u-c', event: 'Invited', messageId: 'cr-3', properties: { invitees: invitees.slice(0, 5) } }, s.writeKey)).status).toBe(200)
    expect((await byMessageId('cr-3')).quarantine).toBeNull()
  })

  it('scans at delivery what ingest cut short with nothing found, and withholds what not even that scan can read', async () => {
    const s = await source('LongLists')
    const hook = await destination({ name: 'Long hook', sourceIds: [s.id], privacy: { yellow: 'mask' } })
    // Past the 10,000 fields ingest reads, nothing found there: stored as never scanned, so not listed as PII.
    const numbers = Array.from({ length: 10_050 }, (_, i) => i)
    expect((await t.track('/v1/track', { userId: 'u-l', event: 'Long', messageId: 'ln-1', properties: { numbers, contact: 'late@example.com' } }, s.writeKey)).status).toBe(200)
    expect((await byMessageId('ln-1')).findings).toEqual([])
    expect(((await t.get(`/api/events?source=${s.id}&pii=1`)).events as EventSummary[]).map((e) => e.messageId)).not.toContain('ln-1')
    await expect.poll(() => receiver.events().find((e) => e.messageId === 'ln-1')).toBeDefined()
    expect(receiver.events().find((e) => e.messageId === 'ln-1').properties.contact).toBe('***')
    // More fields than even the delivery scan reads (200,000): withheld from a destination with controls.
    expect((await t.track('/v1/track', { userId: 'u-l', event: 'Huge', messageId: 'ln-2', properties: { numbers: Array.from({ length: 200_100 }, () => 1) } }, s.writeKey)).status).toBe(200)
    await expect.poll(async () => ((await t.get(`/api/destinations/${hook.id}/attempts?limit=50`)).attempts as { filtered: { reason: string }[] | null }[]).flatMap((a) => a.filtered ?? []).map((f) => f.reason)).toContain('too large for its privacy controls to check every field')
    expect(receiver.events().find((e) => e.messageId === 'ln-2')).toBeUndefined()
  })

  it('still applies a destination’s controls to events stored while detection was off', async () => {
    const s = await source('Unscanned')
    await destination({ name: 'Strict hook', sourceIds: [s.id], privacy: { yellow: 'mask' } })
    expect((await t.admin('/api/privacy/settings', json('PUT', { detection: false }))).status).toBe(200)
    try {
      expect((await t.track('/v1/identify', { userId: 'u-x', messageId: 'n-1', traits: { email: 'x@example.com' } }, s.writeKey)).status).toBe(200)
      expect((await byMessageId('n-1')).findings).toEqual([])
      await expect.poll(() => receiver.events().find((e) => e.messageId === 'n-1')).toBeDefined()
      expect(receiver.events().find((e) => e.messageId === 'n-1').traits.email).toBe('***')
    } finally {
      await t.admin('/api/privacy/settings', json('PUT', {}))
    }
  })

  it('holds events carrying red data at a source set to block them', async () => {
    const s = await source('Strict')
    expect((await t.admin(`/api/sources/${s.id}/privacy`, json('PUT', { blockRed: true }))).status).toBe(200)
    expect((await t.track('/v1/batch', { batch: [{ type: 'track', userId: 'u', event: 'Pay', messageId: 'b-1', properties: { card: CARD } }, { type: 'track', userId: 'u', event: 'Browse', messageId: 'b-2' }] }, s.writeKey)).status).toBe(200)
    expect((await byMessageId('b-1')).quarantine).toBe('held')
    expect((await byMessageId('b-1')).validation!.blockedBecause).toMatch(/red personal data/)
    expect((await byMessageId('b-2')).quarantine).toBeNull()
  })
})

describe('bad input', () => {
  it('refuses what it cannot honour, naming the field, and writes nothing', async () => {
    const s = await source('BadInput')
    const blank = await t.admin('/api/privacy/suppressions', json('POST', { anonymousId: '   ' }))
    expect(blank.status).toBe(400)
    expect((await readJson(blank)).error.field).toBe('anonymousId')
    const both = await t.admin('/api/privacy/deletions', json('POST', { userId: 'a', anonymousId: 'b', confirm: true }))
    expect((await readJson(both)).error.field).toBe('userId')
    // A repeated group with alternatives backtracks exponentially: refused before it could hold ingest.
    const slow = await t.admin('/api/privacy/settings', json('PUT', { custom: [{ name: 'Slow', target: 'value', pattern: '^(a|aa)+b$', classification: 'red' }] }))
    expect((await readJson(slow)).error.field).toBe('custom[0].pattern')
    expect((await t.admin(`/api/sources/${s.id}/privacy`, json('PUT', { blockRed: 'yes' }))).status).toBe(400)
    // A refused reclassification leaves the field in the inbox.
    expect((await t.track('/v1/identify', { userId: 'u', messageId: 'bi-1', traits: { email: 'bi@example.com' } }, s.writeKey)).status).toBe(200)
    const refused = await t.admin('/api/privacy/inventory/triage', json('POST', { sourceId: s.id, path: 'traits.email', matcher: 'email', classification: 'purple' }))
    expect((await readJson(refused)).error.field).toBe('classification')
    expect(((await t.get(`/api/privacy/inventory?source=${s.id}`)) as PiiInventory).fields[0]!.triaged).toBe(false)
  })

  it('keeps scanning a source that blocks red data when detection is off', async () => {
    const s = await source('StillBlocking')
    await t.admin(`/api/sources/${s.id}/privacy`, json('PUT', { blockRed: true }))
    expect((await t.admin('/api/privacy/settings', json('PUT', { detection: false }))).status).toBe(200)
    try {
      expect((await t.track('/v1/track', { userId: 'u', event: 'Pay', messageId: 'sb-1', properties: { card: CARD } }, s.writeKey)).status).toBe(200)
      expect((await byMessageId('sb-1')).quarantine).toBe('held')
    } finally {
      await t.admin('/api/privacy/settings', json('PUT', {}))
    }
  })
})

describe('suppression and deletion', () => {
  it('refuses a suppressed user’s events with 403 ERR_SUPPRESSED, alone or within a batch, until unsuppressed', async () => {
    const s = await source('Suppress')
    expect((await t.admin('/api/privacy/suppressions', json('POST', { userId: 'gone-1' }))).status).toBe(201)
    const single = await t.track('/v1/track', { userId: 'gone-1', event: 'X', messageId: 's-1' }, s.writeKey)
    expect(single.status).toBe(403)
    expect((await readJson(single)).error.code).toBe('ERR_SUPPRESSED')
    const mixed = await t.track('/v1/batch', { batch: [{ type: 'track', userId: 'gone-1', event: 'X', messageId: 's-2' }, { type: 'track', userId: 'stays', event: 'X', messageId: 's-3' }] }, s.writeKey)
    expect(mixed.status).toBe(200)
    expect((await readJson(mixed)).rejected).toEqual([expect.objectContaining({ index: 0, code: 'ERR_SUPPRESSED' })])
    expect((await t.get('/api/events?messageId=s-3')).events).toHaveLength(1)
    const list = (await t.get('/api/privacy/suppressions')).suppressions
    expect(list).toEqual([expect.objectContaining({ kind: 'userId', idHash: keyed('gone-1') })])
    expect(list[0].idHash).not.toBe(sha('gone-1'))
    expect(JSON.stringify(list)).not.toContain('gone-1')
    // An alias tying a new id to the suppressed one is refused too.
    // (a previousId is matched against suppressed userIds and anonymousIds, numbers as their text)
    expect((await t.admin('/api/privacy/suppressions', json('POST', { anonymousId: '4242' }))).status).toBe(201)
    expect((await t.track('/v1/alias', { userId: 'new-self', previousId: 4242, messageId: 's-al0' }, s.writeKey)).status).toBe(403)
    await t.admin('/api/privacy/suppressions/remove', json('POST', { anonymousId: '4242' }))
    const alias = await t.track('/v1/alias', { userId: 'new-self', previousId: 'gone-1', messageId: 's-al' }, s.writeKey)
    expect(alias.status).toBe(403)
    expect(await readJson(alias)).toMatchObject({ error: { code: 'ERR_SUPPRESSED', field: 'previousId' } })
    const mixedAlias = await readJson(await t.track('/v1/batch', { batch: [{ type: 'alias', userId: 'new-self', previousId: 'gone-1', messageId: 's-al2' }, { type: 'track', userId: 'stays', event: 'X', messageId: 's-al3' }] }, s.writeKey))
    expect(mixedAlias.rejected).toEqual([expect.objectContaining({ index: 0, code: 'ERR_SUPPRESSED', field: 'batch[0].previousId' })])
    // And in an import.
    const job = await readJson(await t.admin(`/api/import?sourceId=${s.id}`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: `${JSON.stringify({ type: 'alias', userId: 'new-self', previousId: 'gone-1', messageId: 's-al4' })}\n` }))
    await expect.poll(async () => (await t.get(`/api/import/${job.id}`)).status).toBe('done')
    expect((await t.get(`/api/import/${job.id}`)).rejectedLines).toEqual([expect.objectContaining({ line: 1, code: 'ERR_SUPPRESSED', field: 'previousId' })])
    // Suppressed by anonymousId: the error names that field.
    expect((await t.admin('/api/privacy/suppressions', json('POST', { anonymousId: 'anon-gone' }))).status).toBe(201)
    const byAnon = await t.track('/v1/track', { anonymousId: 'anon-gone', event: 'X', messageId: 's-5' }, s.writeKey)
    expect(await readJson(byAnon)).toMatchObject({ error: { code: 'ERR_SUPPRESSED', field: 'anonymousId' } })
    const mixedAnon = await readJson(await t.track('/v1/batch', { batch: [{ type: 'track', userId: 'stays', event: 'X', messageId: 's-6' }, { type: 'track', anonymousId: 'anon-gone', event: 'X', messageId: 's-7' }] }, s.writeKey))
    expect(mixedAnon.rejected).toEqual([expect.objectContaining({ index: 1, field: 'batch[1].anonymousId' })])
    await t.admin('/api/privacy/suppressions/remove', json('POST', { anonymousId: 'anon-gone' }))
    expect(await readJson(await t.admin('/api/privacy/suppressions/remove', json('POST', { userId: 'gone-1' })))).toEqual({ removed: true })
    expect((await t.track('/v1/track', { userId: 'gone-1', event: 'X', messageId: 's-4' }, s.writeKey)).status).toBe(200)
  })

  it('deletes a user’s events, delivery samples and archive lines, keeping an audit record without the id', async () => {
    const s = await source('Forget')
    const folder = join(tempDir(), 'archive')
    const archive = await destination({ name: 'Archive', kind: 'file', settings: { folder, gzip: true }, sourceIds: [s.id] })
    const hook = await destination({ name: 'Samples', sourceIds: [s.id] })
    const batch = [
      { type: 'identify', userId: 'forget-me', messageId: 'f-1', traits: { email: 'f@example.com' } },
      { type: 'track', userId: 'forget-me', messageId: 'f-2', event: 'Viewed' },
      { type: 'track', userId: 'keep-me', messageId: 'f-3', event: 'Viewed' },
      { type: 'identify', userId: 'keep-me', messageId: 'f-4', traits: { email: 'k@example.com' } },
      { type: 'identify', userId: 'forget-me', messageId: 'f-5', traits: { phone: '+44 7911 123456' } }
    ]
    expect((await t.track('/v1/batch', { batch }, s.writeKey)).status).toBe(200)
    const lines = (): any[] => readdirSync(folder, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).flatMap((e) => gunzipSync(readFileSync(join(e.parentPath, e.name))).toString().split('\n').filter(Boolean).map((l) => JSON.parse(l)))
    await expect.poll(() => { try { return lines().length } catch { return 0 } }).toBe(5)
    const inventory = async (): Promise<unknown[]> => ((await t.get(`/api/privacy/inventory?source=${s.id}`)) as PiiInventory).fields.map((f) => [f.path, f.count]).sort()
    expect(await inventory()).toEqual([['traits.email', 2], ['traits.phone', 1]])
    await expect.poll(async () => (await t.get(`/api/destinations/${hook.id}/attempts`)).attempts.length).toBeGreaterThan(0)

    const refused = await t.admin('/api/privacy/deletions', json('POST', { userId: 'forget-me' }))
    expect((await readJson(refused)).error.field).toBe('confirm')
    const started = (await readJson(await t.admin('/api/privacy/deletions', json('POST', { userId: 'forget-me', confirm: true })))) as Deletion
    await expect.poll(async () => ((await t.get(`/api/privacy/deletions/${started.id}`)) as Deletion).state).toBe('done')
    const done = (await t.get(`/api/privacy/deletions/${started.id}`)) as Deletion
    expect(done).toMatchObject({ kind: 'userId', idHash: keyed('forget-me'), events: 3, archiveLines: 3 })
    // Their findings leave the inventory's counts; a field only they sent leaves the inventory.
    expect(await inventory()).toEqual([['traits.email', 1]])
    expect(done.deliverySamples).toBeGreaterThan(0)
    expect(JSON.stringify(done)).not.toContain('forget-me')
    expect((await t.get('/api/events?userId=forget-me')).events).toEqual([])
    expect((await t.get('/api/events?userId=keep-me')).events).toHaveLength(2)
    expect(lines().map((e) => e.messageId).sort()).toEqual(['f-3', 'f-4'])
    const attempts = JSON.stringify((await t.get(`/api/destinations/${hook.id}/attempts`)).attempts)
    expect(attempts).not.toContain('forget-me')
    expect(archive.kind).toBe('file')
  })
})
