// Identity resolution end to end: a real engine, events sent with Segment's analytics-node client and raw
// tracking requests, profiles and the graph read over the admin API, audience changes delivered to a
// webhook destination at a loopback receiver.

import { Analytics } from '@segment/analytics-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Audience, ComputationPreview, ComputedTrait, IdentityGraph, IdentityLogEntry, ProfileDetail, ProfileSummary } from '../../../src-shared/identity'
import { Receiver } from '../routing/test-receiver'
import { readJson, startTestEngine, type TestEngine } from '../test-engine'

let t: TestEngine
let receiver: Receiver

const json = (method: string, body: unknown): RequestInit => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

async function send(events: Record<string, unknown>[], writeKey = 'wk_identity_app'): Promise<void> {
  const res = await t.track('/v1/batch', { batch: events }, writeKey)
  expect(res.status).toBe(200)
  await t.indexNow()
}

async function profileOf(q: string): Promise<ProfileDetail> {
  const { profiles } = (await t.get(`/api/profiles?q=${encodeURIComponent(q)}`)) as { profiles: ProfileSummary[] }
  expect(profiles.length, `profiles for ${q}`).toBeGreaterThan(0)
  return t.get(`/api/profiles/${profiles[0]!.id}`)
}

const ids = (p: ProfileDetail): string[] => p.identityList.map((i) => `${i.kind}:${i.value}`).sort()

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const value = await probe()
    if (value) return value
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

beforeAll(async () => {
  t = await startTestEngine()
  receiver = new Receiver()
  await receiver.listen()
})
afterAll(async () => {
  await t.stop()
  await receiver.close()
})

describe('identity graph', () => {
  it('merges an anonymous visitor into the user who logs in, from two devices (analytics-node)', async () => {
    const client = new Analytics({ writeKey: 'wk_identity_app', host: t.baseUrl, flushInterval: 20, flushAt: 50, maxRetries: 3 })
    client.track({ anonymousId: 'anon-laptop', event: 'Product Viewed', properties: { sku: 'a' } })
    client.track({ anonymousId: 'anon-phone', event: 'Product Viewed', properties: { sku: 'b' } })
    await client.closeAndFlush()
    await t.indexNow()
    const client2 = new Analytics({ writeKey: 'wk_identity_app', host: t.baseUrl, flushInterval: 20, flushAt: 50, maxRetries: 3 })
    client2.identify({ userId: 'user-ada', anonymousId: 'anon-laptop', traits: { email: 'Ada@Example.com', plan: 'free' } })
    await client2.closeAndFlush()
    await t.indexNow()
    const client3 = new Analytics({ writeKey: 'wk_identity_app', host: t.baseUrl, flushInterval: 20, flushAt: 50, maxRetries: 3 })
    client3.identify({ userId: 'user-ada', anonymousId: 'anon-phone', traits: { plan: 'pro' } })
    await client3.closeAndFlush()
    await t.indexNow()

    const ada = await profileOf('user-ada')
    expect(ids(ada)).toEqual(['anonymous_id:anon-laptop', 'anonymous_id:anon-phone', 'email:ada@example.com', 'user_id:user-ada'])
    expect(ada.events).toBe(4)
    expect(ada.label).toBe('ada@example.com')
    // The latest identify wins per trait; earlier ones stay for the keys it did not send.
    expect(Object.fromEntries(ada.traits.map((tr) => [tr.key, tr.value]))).toEqual({ email: 'Ada@Example.com', plan: 'pro' })
    // How each identifier joined: the phone's anonymous id through the user id, with the event that did it.
    const phone = ada.identityList.find((i) => i.value === 'anon-phone')!
    expect(phone.linkedBy).toMatchObject({ kind: 'user_id', value: 'user-ada' })
    // The phone's profile was merged into Ada's: recorded with the event, and its old id leads to Ada.
    const { entries } = (await t.get(`/api/identity/log?profile=${ada.id}&kind=merge`)) as { entries: IdentityLogEntry[] }
    expect(entries).toHaveLength(1)
    expect(entries[0]).toMatchObject({ kind: 'merge', identity: { kind: 'anonymous_id', value: 'anon-phone' }, other: { kind: 'user_id', value: 'user-ada' }, intoProfile: ada.id })
    const record = await t.get(`/api/events/${entries[0]!.eventId}`)
    expect(record.payload).toMatchObject({ type: 'identify', userId: 'user-ada', anonymousId: 'anon-phone' })
    expect(ada.mergedFrom).toContain(entries[0]!.fromProfile)
    expect((await t.get(`/api/profiles/${entries[0]!.fromProfile}`)).id).toBe(ada.id)
    // The timeline spans all four events of both devices, newest first, paged.
    const page1 = await t.get(`/api/profiles/${ada.id}/events?limit=3`)
    expect(page1.events.map((e: { type: string }) => e.type)).toEqual(['identify', 'identify', 'track'])
    const page2 = await t.get(`/api/profiles/${ada.id}/events?limit=3&before=${page1.next}`)
    expect(page2.events).toHaveLength(1)
    expect(page2.next).toBeNull()
  })

  it('keeps two users of one shared device apart (user_id limit 1) and records the refusal', async () => {
    await send([
      { type: 'identify', userId: 'user-bob', anonymousId: 'anon-kiosk', messageId: 'kiosk-1' },
      { type: 'identify', userId: 'user-cy', anonymousId: 'anon-kiosk', messageId: 'kiosk-2' },
      { type: 'track', userId: 'user-cy', anonymousId: 'anon-kiosk', event: 'Signed In', messageId: 'kiosk-3' }
    ])
    const bob = await profileOf('user-bob')
    const cy = await profileOf('user-cy')
    expect(bob.id).not.toBe(cy.id)
    expect(ids(bob)).toEqual(['anonymous_id:anon-kiosk', 'user_id:user-bob'])
    expect(ids(cy)).toEqual(['user_id:user-cy'])
    expect(cy.events).toBe(2) // Cy's events belong to Cy (her user id ranks first), not to the kiosk's profile
    const graph = (await t.get(`/api/profiles/${cy.id}/graph`)) as IdentityGraph
    const refused = graph.edges.filter((e) => e.refused)
    expect(refused).toHaveLength(1)
    expect(graph.nodes.find((n) => n.value === 'anon-kiosk')!.profileId).toBe(bob.id)
    expect(graph.log[0]).toMatchObject({ kind: 'refused', count: 2 })
    expect(graph.log[0]!.reason).toMatch(/2 user_id \(limit 1\)/)
  })

  it('never merges through a blocked value', async () => {
    await send([
      { type: 'identify', userId: 'user-dee', anonymousId: '00000000-0000-0000-0000-000000000000', messageId: 'blocked-1' },
      { type: 'identify', userId: 'user-eve', anonymousId: '00000000-0000-0000-0000-000000000000', messageId: 'blocked-2' },
      { type: 'track', userId: 'user-eve', anonymousId: 'anonymous', event: 'X', messageId: 'blocked-3' }
    ])
    const dee = await profileOf('user-dee')
    const eve = await profileOf('user-eve')
    expect(ids(dee)).toEqual(['user_id:user-dee'])
    expect(ids(eve)).toEqual(['user_id:user-eve'])
    const { entries } = (await t.get('/api/identity/log?kind=blocked')) as { entries: IdentityLogEntry[] }
    expect(entries.find((e) => e.identity.value.startsWith('0000'))).toMatchObject({ count: 2 })
    expect(entries.find((e) => e.identity.value === 'anonymous')).toBeTruthy()
  })

  it('joins identities by alias', async () => {
    await send([
      { type: 'track', anonymousId: 'anon-mobile-9', event: 'App Opened', messageId: 'alias-1' },
      { type: 'alias', previousId: 'anon-mobile-9', userId: 'user-fay', messageId: 'alias-2' }
    ])
    const fay = await profileOf('user-fay')
    expect(ids(fay)).toEqual(['anonymous_id:anon-mobile-9', 'user_id:user-fay'])
    expect(fay.events).toBe(2)
  })

  it('records one merge when an event joins two profiles through two identifiers', async () => {
    await send([
      { type: 'identify', userId: 'user-kim', messageId: 'kim-1' },
      { type: 'track', anonymousId: 'anon-kim', event: 'Viewed', context: { traits: { email: 'kim@example.com' } }, messageId: 'kim-2' },
      { type: 'identify', userId: 'user-kim', anonymousId: 'anon-kim', traits: { email: 'KIM@example.com' }, messageId: 'kim-3' }
    ])
    const kim = await profileOf('user-kim')
    expect(ids(kim)).toEqual(['anonymous_id:anon-kim', 'email:kim@example.com', 'user_id:user-kim'])
    const { entries } = (await t.get(`/api/identity/log?profile=${kim.id}&kind=merge`)) as { entries: IdentityLogEntry[] }
    expect(entries).toHaveLength(1)
  })

  it('skips nothing and stops for nothing on odd aliases (previousId equal to the event’s own ids)', async () => {
    await send([
      { type: 'alias', userId: 'user-lu', anonymousId: 'anon-lu', previousId: 'anon-lu', messageId: 'lu-1' },
      { type: 'alias', userId: 'user-lu', previousId: 'user-lu', messageId: 'lu-2' },
      { type: 'track', userId: 'user-lu', event: 'After', messageId: 'lu-3' }
    ])
    const lu = await profileOf('user-lu')
    expect(ids(lu)).toEqual(['anonymous_id:anon-lu', 'user_id:user-lu'])
    expect(lu.events).toBe(3)
    const status = await t.get('/api/identity/status')
    expect(status.position).toBe(status.latestEventId)
  })

  it('lists the timeline in event time, explains each identifier back to the first, and keeps odd traits honest', async () => {
    const day = 86_400_000
    const at = (daysAgo: number): string => new Date(Date.now() - daysAgo * day).toISOString()
    await send([
      { type: 'track', anonymousId: 'anon-mo', event: 'Late Arrival', timestamp: at(40), messageId: 'mo-1' },
      { type: 'identify', userId: 'user-mo', anonymousId: 'anon-mo', timestamp: at(3), messageId: 'mo-2', context: { device: { id: 'dev-mo' } },
        traits: { email: 12345, bio: 'x'.repeat(5000), address: { city: 'Paris' } } },
      { type: 'track', userId: 'user-mo', event: 'Recent', timestamp: at(1), messageId: 'mo-3' },
      { type: 'identify', userId: 'user-mo', traits: { email: '' }, timestamp: at(0), messageId: 'mo-4' }
    ])
    const mo = await profileOf('user-mo')
    const timeline = await t.get(`/api/profiles/${mo.id}/events?limit=2`)
    expect(timeline.events.map((e: { messageId: string }) => e.messageId)).toEqual(['mo-4', 'mo-3'])
    const rest = await t.get(`/api/profiles/${mo.id}/events?limit=10&before=${timeline.next}`)
    expect(rest.events.map((e: { messageId: string }) => e.messageId)).toEqual(['mo-2', 'mo-1'])
    // A number is no e-mail; an empty e-mail trait does not name the profile.
    expect(ids(mo)).toEqual(['anonymous_id:anon-mo', 'device_id:dev-mo', 'user_id:user-mo'])
    expect(mo.label).toBe('user-mo')
    // Every identifier points back towards the first one: no circles.
    const first = mo.identityList.find((i) => i.linkedBy === null)!
    expect(first.value).toBe('anon-mo')
    for (const i of mo.identityList) if (i !== first) expect(['anon-mo', 'user-mo']).toContain(i.linkedBy!.value)
    const bio = mo.traits.find((x) => x.key === 'bio')!.value as Record<string, string>
    expect(bio.loupe_not_kept).toMatch(/5002 characters/)
  })

  it('keeps user ids apart when a limits change leaves user_id out', async () => {
    const res = await t.admin('/api/identity/settings', json('PUT', { limits: { email: 3 } }))
    expect(res.status).toBe(200)
    await send([
      { type: 'identify', userId: 'user-nia', anonymousId: 'anon-shared-2', messageId: 'nia-1' },
      { type: 'identify', userId: 'user-oz', anonymousId: 'anon-shared-2', messageId: 'oz-1' }
    ])
    expect((await profileOf('user-oz')).identityList.map((i) => i.value)).toEqual(['user-oz'])
    await t.admin('/api/identity/settings', json('PUT', { limits: { user_id: 1 } }))
  })

  it('finds profiles by any identifier or trait value', async () => {
    const upper = (await t.get('/api/profiles?q=Ada%40Example.com')).profiles as ProfileSummary[]
    expect(upper.map((p) => p.userId)).toEqual(['user-ada'])
    const byEmail = (await t.get('/api/profiles?q=ada%40example')).profiles as ProfileSummary[]
    expect(byEmail.map((p) => p.userId)).toEqual(['user-ada'])
    const byAnon = (await t.get('/api/profiles?q=anon-phone')).profiles as ProfileSummary[]
    expect(byAnon.map((p) => p.userId)).toEqual(['user-ada'])
    const all = (await t.get('/api/profiles?limit=2')) as { profiles: ProfileSummary[]; next: string }
    expect(all.profiles).toHaveLength(2)
    const rest = (await t.get(`/api/profiles?limit=200&cursor=${all.next}`)) as { profiles: ProfileSummary[] }
    expect(new Set([...all.profiles, ...rest.profiles].map((p) => p.id)).size).toBe(all.profiles.length + rest.profiles.length)
  })

  it('rebuilds the same graph from history', async () => {
    const snapshot = async (): Promise<string[]> => {
      const { profiles } = (await t.get('/api/profiles?limit=200')) as { profiles: ProfileSummary[] }
      const details = await Promise.all(profiles.map((p) => t.get(`/api/profiles/${p.id}`) as Promise<ProfileDetail>))
      return details.map((d) => `${ids(d).join(',')} events=${d.events} traits=${JSON.stringify(d.traits.map((x) => [x.key, x.value]))}`).sort()
    }
    const before = await snapshot()
    const status = await t.admin('/api/identity/rebuild', { method: 'POST' })
    expect(status.status).toBe(200)
    await t.indexNow()
    expect(await snapshot()).toEqual(before)
    const { rebuilding, profiles } = await t.get('/api/identity/status')
    expect(rebuilding).toBe(false)
    expect(profiles).toBe(before.length)
  })

  it('applies changed merge rules when rebuilt: a newly blocked value stops merging', async () => {
    await send([
      { type: 'identify', userId: 'user-gus', anonymousId: 'shared-tablet', messageId: 'tablet-1' },
      { type: 'track', anonymousId: 'shared-tablet', event: 'Viewed', messageId: 'tablet-2' }
    ])
    expect(ids(await profileOf('user-gus'))).toContain('anonymous_id:shared-tablet')
    const settings = await t.get('/api/identity/settings')
    const res = await t.admin('/api/identity/settings', json('PUT', { blockedValues: [...settings.blockedValues, 'SHARED-TABLET'], rebuild: true }))
    expect(res.status).toBe(200)
    await t.indexNow()
    expect(ids(await profileOf('user-gus'))).toEqual(['user_id:user-gus'])
  })

  it('forgets the whole profile when the user’s data is deleted (privacy)', async () => {
    await send([
      { type: 'track', anonymousId: 'anon-jo', event: 'Viewed', messageId: 'jo-1' },
      { type: 'identify', userId: 'user-jo', anonymousId: 'anon-jo', traits: { email: 'jo@example.com' }, messageId: 'jo-2' }
    ])
    const jo = await profileOf('user-jo')
    const res = await t.admin('/api/privacy/deletions', json('POST', { userId: 'user-jo', confirm: true }))
    expect(res.status).toBe(202)
    const deletion = (await readJson(res)) as { id: number }
    await until('deletion done', async () => (await t.get(`/api/privacy/deletions/${deletion.id}`)).state === 'done')
    expect((await t.admin(`/api/profiles/${jo.id}`)).status).toBe(404)
    expect((await t.get('/api/profiles?q=jo%40example.com')).profiles).toEqual([])
    expect((await t.get('/api/profiles?q=anon-jo')).profiles).toEqual([])
    // Their anonymous browsing before login went too, not only the events carrying the user id.
    expect((await t.get('/api/events?anonymousId=anon-jo')).events).toEqual([])
    const { entries } = (await t.get(`/api/identity/log?profile=${jo.id}`)) as { entries: IdentityLogEntry[] }
    expect(entries).toEqual([])
  })

  it('deletes only what resolved to the user: a shared device’s other user keeps their events', async () => {
    await send([
      { type: 'identify', userId: 'user-rex', anonymousId: 'anon-family-ipad', messageId: 'rex-1' },
      { type: 'track', anonymousId: 'anon-family-ipad', event: 'Browsed', messageId: 'rex-2' },
      { type: 'identify', userId: 'user-sue', anonymousId: 'anon-family-ipad', messageId: 'sue-1' },
      { type: 'track', userId: 'user-sue', anonymousId: 'anon-family-ipad', event: 'Private Thing', messageId: 'sue-2' }
    ])
    const res = await t.admin('/api/privacy/deletions', json('POST', { userId: 'user-rex', confirm: true }))
    const deletion = (await readJson(res)) as { id: number }
    await until('deletion done', async () => (await t.get(`/api/privacy/deletions/${deletion.id}`)).state === 'done')
    expect((await t.get('/api/events?anonymousId=anon-family-ipad')).events.map((e: { messageId: string }) => e.messageId).sort()).toEqual(['sue-1', 'sue-2'])
    expect((await profileOf('user-sue')).events).toBe(2)
  })

  it('refuses bad query parameters and unknown profiles clearly', async () => {
    const bad = async (path: string, status: number, code: string, field: string): Promise<void> => {
      const res = await t.admin(path)
      expect(res.status, path).toBe(status)
      expect((await readJson(res)).error, path).toMatchObject({ code, field })
    }
    await bad('/api/profiles?limit=0', 400, 'ERR_ADMIN_INVALID_QUERY', 'limit')
    await bad('/api/profiles?colour=blue', 400, 'ERR_ADMIN_INVALID_QUERY', 'colour')
    await bad('/api/profiles?cursor=nope', 400, 'ERR_ADMIN_INVALID_QUERY', 'cursor')
    await bad('/api/profiles/abc', 404, 'ERR_ADMIN_NOT_FOUND', 'id')
    await bad('/api/profiles/999999', 404, 'ERR_ADMIN_NOT_FOUND', 'id')
    const ada = await profileOf('user-ada')
    await bad(`/api/profiles/${ada.id}/events?before=xyz`, 400, 'ERR_ADMIN_INVALID_QUERY', 'before')
    await bad('/api/identity/log?kind=everything', 400, 'ERR_ADMIN_INVALID_QUERY', 'kind')
    await bad('/api/audiences/424242/members', 404, 'ERR_ADMIN_NOT_FOUND', 'id')
  })

  it('refuses bad settings naming the field', async () => {
    const bad = async (body: unknown, field: string): Promise<void> => {
      const res = await t.admin('/api/identity/settings', json('PUT', body))
      expect(res.status).toBe(400)
      expect((await readJson(res)).error.field).toBe(field)
    }
    await bad({ limits: { user_id: 0 } }, 'limits.user_id')
    await bad({ externalIds: [{ kind: 'user_id', paths: ['traits.x'] }] }, 'externalIds[0].kind')
    await bad({ externalIds: [{ kind: 'phone', paths: ['traits.phone number'] }] }, 'externalIds[0].paths[0]')
    await bad({ priority: ['email', 'email'] }, 'priority')
    await bad({ colour: 'blue' }, 'colour')
  })
})

describe('computed traits and audiences', () => {
  let audiencesSource: { id: number; writeKey: string }

  beforeAll(async () => {
    audiencesSource = await readJson(await t.admin('/api/sources', json('POST', { name: 'Audiences', writeKey: 'wk_audiences_out' })))
    const res = await t.admin('/api/destinations', json('POST', { name: 'CRM hook', kind: 'webhook', settings: { url: receiver.url }, sourceIds: [audiencesSource.id] }))
    expect(res.status).toBe(201)
  })

  const order = (userId: string, n: number, revenue: unknown) => ({ type: 'track', userId, event: 'Order Completed', messageId: `order-${userId}-${n}`, properties: { revenue, product: `p${n}` } })

  it('computes a trait from history, then keeps it up to date as events arrive', async () => {
    await send([order('user-hal', 1, 20), order('user-hal', 2, 30.5), order('user-ivy', 1, 'not a number')])
    const preview = (await readJson(await t.admin('/api/computed-traits/preview', json('POST', { type: 'sum', event: 'Order Completed', property: 'properties.revenue' })))) as ComputationPreview
    expect(preview.profiles).toBe(1)
    expect(preview.samples[0]).toMatchObject({ label: 'user-hal', value: 50.5 })

    const created = await t.admin('/api/computed-traits', json('POST', { name: 'Total revenue', type: 'sum', event: 'Order Completed', property: 'properties.revenue' }))
    expect(created.status).toBe(201)
    const trait = (await readJson(created)) as ComputedTrait
    expect(trait.key).toBe('total_revenue')
    const last = (await readJson(await t.admin('/api/computed-traits', json('POST', { name: 'Last product', type: 'last', event: 'Order Completed', property: 'properties.product' })))) as ComputedTrait
    await t.indexNow()
    const value = (p: ProfileDetail, key: string): unknown => p.computed.find((c) => c.key === key)?.value
    let hal = await profileOf('user-hal')
    expect(value(hal, 'total_revenue')).toBe(50.5)
    expect(value(hal, 'last_product')).toBe('p2')
    expect(value(await profileOf('user-ivy'), 'total_revenue')).toBeUndefined()

    await send([order('user-hal', 3, 9.5)])
    hal = await profileOf('user-hal')
    expect(value(hal, 'total_revenue')).toBe(60)
    expect(value(hal, 'last_product')).toBe('p3')
    const traits = (await t.get('/api/computed-traits')).traits as ComputedTrait[]
    expect(traits.find((x) => x.id === trait.id)).toMatchObject({ state: 'live', profiles: 1 })
    expect(traits.find((x) => x.id === last.id)).toMatchObject({ state: 'live', profiles: 2 })
  })

  it('sends Audience Entered / Exited to the audience source, which delivers them to its destination', async () => {
    const trait = ((await t.get('/api/computed-traits')).traits as ComputedTrait[]).find((x) => x.key === 'total_revenue')!
    const definition = {
      name: 'Big spenders',
      match: 'all',
      conditions: [
        { kind: 'computed', traitId: trait.id, op: '>=', value: 100 },
        { kind: 'event', event: 'Order Completed', did: true, withinDays: 30, atLeast: 2 },
        { kind: 'trait', key: 'plan', op: '!=', value: 'banned' }
      ],
      sourceId: audiencesSource.id,
      emitIdentify: true,
      emitTrack: true
    }
    const preview = (await readJson(await t.admin('/api/audiences/preview', json('POST', definition)))) as ComputationPreview
    expect(preview.profiles).toBe(0)
    const res = await t.admin('/api/audiences', json('POST', definition))
    expect(res.status).toBe(201)
    const audience = (await readJson(res)) as Audience
    expect(audience.key).toBe('big_spenders')
    await t.indexNow()

    // Hal crosses 100 with a third order: he enters.
    await send([order('user-hal', 4, 45)])
    const entered = await until('Audience Entered delivered', async () => receiver.events().find((e) => e.event === 'Audience Entered' && e.userId === 'user-hal'))
    expect(entered.properties).toEqual({ audience_key: 'big_spenders', big_spenders: true })
    expect(entered.context.personas).toMatchObject({ computation_class: 'audience', computation_key: 'big_spenders' })
    const identify = receiver.events().find((e) => e.type === 'identify' && e.userId === 'user-hal' && e.traits?.big_spenders === true)
    expect(identify).toBeTruthy()
    let hal = await profileOf('user-hal')
    expect(hal.audiences.map((a) => a.key)).toEqual(['big_spenders'])
    expect(((await t.get('/api/audiences')).audiences as Audience[])[0]).toMatchObject({ members: 1, state: 'live' })
    expect(((await t.get(`/api/audiences/${audience.id}/members`)).profiles as ProfileSummary[]).map((p) => p.userId)).toEqual(['user-hal'])

    // A trait change takes him out again.
    await send([{ type: 'identify', userId: 'user-hal', traits: { plan: 'banned' }, messageId: 'hal-banned' }])
    const exited = await until('Audience Exited delivered', async () => receiver.events().find((e) => e.event === 'Audience Exited' && e.userId === 'user-hal'))
    expect(exited.properties.big_spenders).toBe(false)
    await t.indexNow()
    hal = await profileOf('user-hal')
    expect(hal.audiences).toEqual([])
    // Loupe's own audience events come back through the source but are not Hal's activity: no trait, no timeline entry.
    expect(hal.traits.find((x) => x.key === 'big_spenders')).toBeUndefined()
    const timeline = await t.get(`/api/profiles/${hal.id}/events?limit=500`)
    expect(timeline.events.some((e: { name: string | null }) => e.name === 'Audience Entered')).toBe(false)
    expect(receiver.events().filter((e) => e.event === 'Audience Entered' && e.userId === 'user-hal')).toHaveLength(1)
  })

  it('evaluates existing profiles when an audience is created, and refuses bad definitions by field', async () => {
    const res = await t.admin('/api/audiences', json('POST', { name: 'Never ordered', conditions: [{ kind: 'event', event: 'Order Completed', did: false, withinDays: 7 }], sourceId: null }))
    expect(res.status).toBe(201)
    const audience = (await readJson(res)) as Audience
    await t.indexNow()
    const members = ((await t.get(`/api/audiences/${audience.id}/members?limit=500`)).profiles as ProfileSummary[]).map((p) => p.userId)
    expect(members).toContain('user-ada')
    expect(members).not.toContain('user-hal')

    const bad = async (path: string, body: unknown, field: string, status = 400): Promise<void> => {
      const r = await t.admin(path, json('POST', body))
      expect(r.status, JSON.stringify(body)).toBe(status)
      expect((await readJson(r)).error.field).toBe(field)
    }
    await bad('/api/computed-traits', { name: 'X', type: 'sum', event: 'Order Completed' }, 'property')
    await bad('/api/computed-traits', { name: 'Total revenue', type: 'count' }, 'name', 409)
    await bad('/api/computed-traits', { name: 'Y', type: 'count', windowDays: 0 }, 'windowDays')
    await bad('/api/audiences', { name: 'Z', conditions: [{ kind: 'computed', traitId: 999, op: '>', value: 1 }] }, 'conditions[0].traitId')
    await bad('/api/audiences', { name: 'Z', conditions: [{ kind: 'trait', key: 'plan', op: '~', value: 1 }] }, 'conditions[0].op')
    await bad('/api/audiences', { name: 'Z', conditions: [] }, 'conditions')
    await bad('/api/audiences', { name: 'Z', conditions: [{ kind: 'trait', key: 'plan', op: 'exists' }], sourceId: 424242 }, 'sourceId')
    // Audiences cannot depend on what audiences send (they would flip each other without end).
    await bad('/api/audiences', { name: 'Loop', conditions: [{ kind: 'trait', key: 'big_spenders', op: '=', value: true }] }, 'conditions[0].key')
    await bad('/api/audiences', { name: 'Loop', conditions: [{ kind: 'trait', key: 'loop', op: 'exists' }] }, 'conditions[0].key')
    await bad('/api/audiences', { name: 'Loop', conditions: [{ kind: 'event', event: 'Audience Entered', did: true, withinDays: 1 }] }, 'conditions[0].event')
    const trait = ((await t.get('/api/computed-traits')).traits as ComputedTrait[]).find((x) => x.key === 'total_revenue')!
    const del = await t.admin(`/api/computed-traits/${trait.id}`, { method: 'DELETE' })
    expect(del.status).toBe(409) // Big spenders uses it
  })

  it('tells destinations again under the user id when an anonymous member logs in', async () => {
    const res = await t.admin('/api/audiences', json('POST', { name: 'Curious', conditions: [{ kind: 'event', event: 'Pricing Viewed', did: true, withinDays: 7 }], sourceId: audiencesSource.id, emitIdentify: false, emitTrack: true }))
    expect(res.status).toBe(201)
    await t.indexNow()
    await send([{ type: 'track', anonymousId: 'anon-pia', event: 'Pricing Viewed', messageId: 'pia-1' }])
    await until('anonymous Entered', async () => receiver.events().find((e) => e.event === 'Audience Entered' && e.anonymousId === 'anon-pia' && !e.userId))
    await send([{ type: 'identify', userId: 'user-pia', anonymousId: 'anon-pia', messageId: 'pia-2' }])
    const again = await until('Entered with the user id', async () => receiver.events().find((e) => e.event === 'Audience Entered' && e.userId === 'user-pia'))
    expect(again.properties.audience_key).toBe('curious')
    // A second device of hers, anonymous and in no audience, joins at login: nothing to tell again.
    await send([
      { type: 'track', anonymousId: 'anon-pia-phone', event: 'Opened', messageId: 'pia-3' },
      { type: 'identify', userId: 'user-pia', anonymousId: 'anon-pia-phone', messageId: 'pia-4' },
      // A sentinel: changes are sent in order, so once its Entered arrives, any for Pia would have too.
      { type: 'track', anonymousId: 'anon-sentinel', event: 'Pricing Viewed', messageId: 'sentinel-1' }
    ])
    await until('sentinel Entered', async () => receiver.events().find((e) => e.event === 'Audience Entered' && e.anonymousId === 'anon-sentinel'))
    expect(receiver.events().filter((e) => e.event === 'Audience Entered' && e.userId === 'user-pia')).toHaveLength(1)
  })

  it('refuses an audience whose key is a trait profiles already have; reads nested traits; did-not counts below N', async () => {
    const clash = await t.admin('/api/audiences', json('POST', { name: 'Plan', conditions: [{ kind: 'trait', key: 'email', op: 'exists' }] }))
    expect(clash.status).toBe(409)
    expect((await readJson(clash)).error.field).toBe('name')
    const nested = (await readJson(await t.admin('/api/audiences/preview', json('POST', { conditions: [{ kind: 'trait', key: 'address.city', op: '=', value: 'Paris' }] })))) as ComputationPreview
    expect(nested.samples.map((x) => x.label)).toEqual(['user-mo'])
    // Hal has 4 orders, Ivy 1: "fewer than 2 orders ever" keeps Ivy and drops Hal.
    const fewer = (await readJson(await t.admin('/api/audiences/preview', json('POST', { conditions: [{ kind: 'event', event: 'Order Completed', did: false, atLeast: 2 }] })))) as ComputationPreview
    const labels = fewer.samples.map((x) => x.label)
    expect(fewer.profiles).toBeGreaterThan(2)
    const all = (await readJson(await t.admin('/api/audiences/preview', json('POST', { conditions: [{ kind: 'event', event: 'Order Completed', did: false, atLeast: 1000 }] })))) as ComputationPreview
    expect(fewer.profiles).toBe(all.profiles - 1)
    expect(labels).not.toContain('user-hal')
  })

  it('counts a profile without events as 0 ("fewer than 1 order" holds for those who never ordered)', async () => {
    const orders = (await readJson(await t.admin('/api/computed-traits', json('POST', { name: 'Orders', type: 'count', event: 'Order Completed' })))) as ComputedTrait
    await t.indexNow()
    const definition = { name: 'No orders yet', conditions: [{ kind: 'computed', traitId: orders.id, op: '<', value: 1 }] }
    const preview = (await readJson(await t.admin('/api/audiences/preview', json('POST', definition)))) as ComputationPreview
    const res = await t.admin('/api/audiences', json('POST', definition))
    const audience = (await readJson(res)) as Audience
    await t.indexNow()
    const members = ((await t.get(`/api/audiences/${audience.id}/members?limit=500`)).profiles as ProfileSummary[]).map((p) => p.userId)
    expect(members).toContain('user-ada')
    expect(members).not.toContain('user-hal')
    expect(preview.profiles).toBe(members.length)
  })
})

describe('QA reset', () => {
  it('starts profiles afresh with the events', async () => {
    expect(((await t.get('/api/profiles?limit=5')).profiles as ProfileSummary[]).length).toBeGreaterThan(0)
    const res = await t.admin('/api/reset', json('POST', { confirm: 'delete all events' }))
    expect(res.status).toBe(200)
    await send([{ type: 'identify', userId: 'user-after-reset', anonymousId: 'anon-after-reset', messageId: 'after-reset' }])
    const { profiles } = (await t.get('/api/profiles?limit=50')) as { profiles: ProfileSummary[] }
    expect(profiles.map((p) => p.userId)).toEqual(['user-after-reset'])
    expect((await t.get('/api/identity/log')).entries).toEqual([])
  })
})
