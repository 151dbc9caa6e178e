// Action destinations end to end: a real engine, the real @segment/analytics-node client, Segment's own
// destination code, and a loopback receiver standing in for the vendors (LOUPE_ACTIONS_REDIRECT: requests
// arrive with the vendor's Host header and path).

import { Analytics } from '@segment/analytics-node'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { ActionsSettings, CatalogueDestination, CatalogueEntry, DeliveryAttempt, Destination, EventDelivery } from '../../../../src-shared/api'
import { Receiver } from '../../routing/test-receiver'
import { readJson, startTestEngine, type TestEngine } from '../../test-engine'

let t: TestEngine
const vendor = new Receiver('{"code":200}')

beforeAll(async () => {
  await vendor.listen()
  t = await startTestEngine({}, (config) => {
    config.actionsRedirect = `http://127.0.0.1:${vendor.port}`
    config.routing.backoffBaseMs = 50
    config.routing.backoffMaxMs = 100
  })
})
afterAll(async () => {
  await t.stop()
  await vendor.close()
})
beforeEach(() => {
  vendor.received = []
  vendor.answers = []
})

const json = (body: unknown): RequestInit => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

async function source(writeKey: string): Promise<number> {
  return (await readJson(await t.admin('/api/sources', { method: 'POST', ...json({ name: writeKey, writeKey }) }))).id
}

async function actionsDestination(name: string, settings: Record<string, unknown>, sourceIds: number[]): Promise<Destination> {
  const res = await t.admin('/api/destinations', { method: 'POST', ...json({ name, kind: 'actions', settings, sourceIds }) })
  expect(res.status, JSON.stringify(await res.clone().json())).toBe(201)
  return readJson(res)
}

function client(writeKey: string): Analytics {
  return new Analytics({ writeKey, host: t.baseUrl, flushInterval: 50, flushAt: 20, maxRetries: 3 })
}

async function deliveryOf(messageId: string): Promise<EventDelivery[]> {
  const event = (await t.get(`/api/events?messageId=${messageId}`)).events[0]
  return event ? (await t.get(`/api/events/${event.id}/deliveries`)).deliveries : []
}

async function attempts(id: number): Promise<DeliveryAttempt[]> {
  return (await t.get(`/api/destinations/${id}/attempts?limit=500`)).attempts
}

describe('Action destinations', () => {
  it('Amplitude: a track call becomes an HTTP V2 API event, with the messageId as insert_id', async () => {
    const src = await source('wk_act_amp')
    const d = await actionsDestination('Amplitude', { slug: 'amplitude', settings: { apiKey: 'amp-api-key-1234', secretKey: 'amp-secret-5678' } }, [src])
    const settings = d.settings as ActionsSettings
    // Created without subscriptions: the presets (the browser-only session preset is left out).
    expect(settings.subscriptions.map((s) => s.partnerAction)).toEqual(['logEventV2', 'logPurchase', 'logEventV2', 'logEventV2', 'identifyUser'])
    expect(settings.settings.apiKey).toBe('••••1234')

    const analytics = client('wk_act_amp')
    analytics.track({ userId: 'user-1', event: 'Product Viewed', messageId: 'amp-msg-1', properties: { sku: 'p-1', price: 49.99 } })
    await analytics.closeAndFlush()

    await expect.poll(() => vendor.to('api2.amplitude.com').length).toBe(1)
    const request = vendor.to('api2.amplitude.com')[0]!
    expect(request).toMatchObject({ method: 'POST', path: '/2/httpapi' })
    expect(request.headers['content-type']).toMatch(/application\/json/)
    expect(request.body.api_key).toBe('amp-api-key-1234')
    expect(request.body.events).toHaveLength(1)
    expect(request.body.events[0]).toMatchObject({ event_type: 'Product Viewed', user_id: 'user-1', insert_id: 'amp-msg-1', event_properties: { sku: 'p-1', price: 49.99 } })
    expect(typeof request.body.events[0].time).toBe('number')

    await expect.poll(async () => (await deliveryOf('amp-msg-1'))[0]?.status).toBe('delivered')
    const [attempt] = await attempts(d.id)
    expect(attempt).toMatchObject({ outcome: 'delivered', httpStatus: 200 })
    // The delivery log shows the request, with the API key masked.
    expect(attempt!.requestSample).toMatch(/^POST https:\/\/api2\.amplitude\.com\/2\/httpapi\n/)
    expect(attempt!.requestSample).toContain('"api_key":"••••1234"')
    expect(attempt!.requestSample).not.toContain('amp-api-key-1234')
  })

  it('Mixpanel: a track call goes to /import with Basic auth and $insert_id', async () => {
    const src = await source('wk_act_mp')
    await actionsDestination('Mixpanel', { slug: 'mixpanel', settings: { projectToken: 'mp-token', apiSecret: 'mp-api-secret' } }, [src])
    const analytics = client('wk_act_mp')
    analytics.track({ userId: 'user-2', event: 'Signed Up', messageId: 'mp-msg-1', properties: { plan: 'pro' } })
    await analytics.closeAndFlush()

    await expect.poll(() => vendor.to('api.mixpanel.com').length).toBe(1)
    const request = vendor.to('api.mixpanel.com')[0]!
    expect(request).toMatchObject({ method: 'POST', path: '/import?strict=1' })
    expect(request.headers.authorization).toBe(`Basic ${Buffer.from('mp-api-secret:').toString('base64')}`)
    expect(request.body).toHaveLength(1)
    expect(request.body[0]).toMatchObject({ event: 'Signed Up', properties: { distinct_id: 'user-2', $insert_id: 'mp-msg-1', plan: 'pro' } })
    await expect.poll(async () => (await deliveryOf('mp-msg-1'))[0]?.status).toBe('delivered')
  })

  it('Google Analytics 4 (no presets): a subscription built from an action’s defaults', async () => {
    const ga4 = (await t.get('/api/catalogue/google-analytics-4')) as CatalogueDestination
    expect(ga4.presetSubscriptions).toEqual([])
    const custom = ga4.actions.find((a) => a.key === 'customEvent')!
    const src = await source('wk_act_ga4')
    await actionsDestination('GA4', {
      slug: 'google-analytics-4',
      settings: { measurementId: 'G-TEST123', apiSecret: 'ga4-secret' },
      subscriptions: [{ name: 'Custom events', subscribe: custom.defaultSubscription, partnerAction: 'customEvent', mapping: custom.defaultMapping }]
    }, [src])
    const analytics = client('wk_act_ga4')
    analytics.track({ userId: 'user-3', anonymousId: 'anon-3', event: 'Video Played', messageId: 'ga4-msg-1', properties: { title: 'Intro' } })
    await analytics.closeAndFlush()

    await expect.poll(() => vendor.to('www.google-analytics.com').length).toBe(1)
    const request = vendor.to('www.google-analytics.com')[0]!
    const url = new URL(request.path, 'http://x')
    expect(request.method).toBe('POST')
    expect(url.pathname).toBe('/mp/collect')
    expect(url.searchParams.get('measurement_id')).toBe('G-TEST123')
    expect(url.searchParams.get('api_secret')).toBe('ga4-secret')
    // GA4's defaults: client_id from userId (else anonymousId), event names with underscores.
    expect(request.body).toMatchObject({ client_id: 'user-3', events: [{ name: 'Video_Played' }] })
    await expect.poll(async () => (await deliveryOf('ga4-msg-1'))[0]?.status).toBe('delivered')
  })

  it('a vendor 400 sends the event to the dead letters; a 503 is retried until delivered', async () => {
    const src = await source('wk_act_fail')
    const d = await actionsDestination('Amplitude failing', { slug: 'amplitude', settings: { apiKey: 'fail-key-0001', secretKey: 'fail-secret' } }, [src])
    vendor.answers = [{ status: 400, body: '{"code":400,"error":"Invalid field values"}' }]
    await t.track('/v1/track', { type: 'track', event: 'Bad', userId: 'u', messageId: 'fail-400' }, 'wk_act_fail')
    await expect.poll(async () => (await deliveryOf('fail-400'))[0]?.status).toBe('failed')
    expect((await deliveryOf('fail-400'))[0]!.reason).toMatch(/400/)

    vendor.answers = [{ status: 503, headers: { 'retry-after': '0' } }, { status: 503 }]
    await t.track('/v1/track', { type: 'track', event: 'Later', userId: 'u', messageId: 'fail-503' }, 'wk_act_fail')
    await expect.poll(async () => (await deliveryOf('fail-503'))[0]?.status, { timeout: 10_000 }).toBe('delivered')
    const sent = vendor.to('api2.amplitude.com').filter((r) => r.body.events[0].insert_id === 'fail-503')
    expect(sent).toHaveLength(3)
    expect((await attempts(d.id)).map((a) => a.outcome).reverse()).toEqual(['failed', 'retry', 'retry', 'delivered'])
  })

  it('a retry after one subscription’s 5xx does not send again what another subscription delivered', async () => {
    const src = await source('wk_act_partial')
    const amplitude = (await t.get('/api/catalogue/amplitude')) as CatalogueDestination
    const identify = amplitude.actions.find((a) => a.key === 'identifyUser')!
    const track = amplitude.presetSubscriptions[0]!
    await actionsDestination('Amplitude partial', {
      slug: 'amplitude',
      settings: { apiKey: 'partial-key-01', secretKey: 's' },
      subscriptions: [track, { name: 'Identify on track', subscribe: 'type = "track"', partnerAction: 'identifyUser', mapping: identify.defaultMapping }]
    }, [src])
    vendor.answers = [{ status: 200 }, { status: 503 }]
    await t.track('/v1/track', { type: 'track', event: 'Twice', userId: 'u', messageId: 'partial-1' }, 'wk_act_partial')
    await expect.poll(async () => (await deliveryOf('partial-1'))[0]?.status, { timeout: 10_000 }).toBe('delivered')
    expect(vendor.received.map((r) => r.path)).toEqual(['/2/httpapi', '/identify', '/identify'])
  })

  it('events no subscription matches are not sent; an event a mapping cannot fill fails alone', async () => {
    const src = await source('wk_act_match')
    await actionsDestination('Amplitude match', { slug: 'amplitude', settings: { apiKey: 'match-key-001', secretKey: 's' } }, [src])
    // Amplitude's presets have no alias subscription; a track without an event name lacks event_type.
    await t.track('/v1/alias', { type: 'alias', userId: 'u', previousId: 'p', messageId: 'match-alias' }, 'wk_act_match')
    await expect.poll(async () => (await deliveryOf('match-alias'))[0]?.status).toBe('filtered')
    expect((await deliveryOf('match-alias'))[0]?.reason).toContain('no enabled subscription')
    expect(vendor.to('api2.amplitude.com')).toHaveLength(0)

    const kinds = await source('wk_act_kind')
    const track = (await t.get('/api/catalogue/amplitude') as CatalogueDestination).presetSubscriptions[0]!
    await actionsDestination('Amplitude kinds', {
      slug: 'amplitude',
      settings: { apiKey: 'kind-key-001', secretKey: 's' },
      subscriptions: [{ ...track, mapping: { ...track.mapping, event_type: { '@path': '$.properties.kind' } } }]
    }, [kinds])
    await t.track('/v1/track', { type: 'track', event: 'No kind', userId: 'u', messageId: 'kind-none' }, 'wk_act_kind')
    await expect.poll(async () => (await deliveryOf('kind-none'))[0]?.status).toBe('failed')
    // The router words the reason by status; the delivery log's request sample says what was wrong.
    const [refused] = await attempts((await deliveryOf('kind-none'))[0]!.destinationId)
    expect(refused).toMatchObject({ outcome: 'failed', httpStatus: 400, requestSample: expect.stringMatching(/nothing sent: .*event_type/) })
    expect(vendor.to('api2.amplitude.com')).toHaveLength(0)
  })

  it('a batching action (Mixpanel) refuses the events its mapping cannot fill and sends the rest in one request', async () => {
    const src = await source('wk_act_batch')
    const mixpanel = (await t.get('/api/catalogue/mixpanel')) as CatalogueDestination
    const track = mixpanel.presetSubscriptions.find((p) => p.name === 'Track Calls')!
    expect(track.mapping).toMatchObject({ enable_batching: true })
    await actionsDestination('Mixpanel batch', {
      slug: 'mixpanel',
      settings: { projectToken: 'tok', apiSecret: 'batch-secret' },
      subscriptions: [{ ...track, mapping: { ...track.mapping, event: { '@path': '$.properties.label' } } }]
    }, [src])
    const events = [1, 2, 3].map((i) => ({ type: 'track', event: 'E', userId: 'u', messageId: `batch-${i}`, properties: i === 2 ? {} : { label: `L${i}` } }))
    await t.track('/v1/batch', { batch: events }, 'wk_act_batch')
    await expect.poll(async () => (await deliveryOf('batch-3'))[0]?.status).toBe('delivered')
    expect(vendor.to('api.mixpanel.com')).toHaveLength(1)
    expect(vendor.to('api.mixpanel.com')[0]!.body.map((e: any) => e.properties.$insert_id)).toEqual(['batch-1', 'batch-3'])
    expect((await deliveryOf('batch-1'))[0]?.status).toBe('delivered')
    expect((await deliveryOf('batch-2'))[0]).toMatchObject({ status: 'failed', reason: expect.stringMatching(/event/) })
  })

  it('a replay dry run shows the vendor requests Segment’s code would make, and sends nothing', async () => {
    const src = await source('wk_act_dry')
    const res = await t.track('/v1/batch', { batch: [
      { type: 'track', event: 'Dry Run Viewed', userId: 'user-dry', messageId: 'dry-1', properties: { sku: 'd-1' } },
      { type: 'alias', userId: 'user-dry', previousId: 'p', messageId: 'dry-alias' }
    ] }, 'wk_act_dry')
    expect(res.status).toBe(200)
    // Not connected to the source: nothing goes out live, only the dry run runs the destination's code.
    const d = await actionsDestination('Amplitude dry run', { slug: 'amplitude', settings: { apiKey: 'dry-key-2468', secretKey: 'dry-secret' } }, [])
    const dry = await readJson(await t.admin('/api/replays', { method: 'POST', ...json({ destinationId: d.id, sourceIds: [src], dryRun: true }) }))
    expect(dry).toMatchObject({ dryRun: true, matched: 2 })
    const text = (dry.requests as { request: string }[]).map((r) => r.request).join('\n\n')
    expect(text).toMatch(/^POST https:\/\/api2\.amplitude\.com\/2\/httpapi\n/)
    expect(text).toContain('"event_type": "Dry Run Viewed"')
    expect(text).toContain('"insert_id": "dry-1"')
    expect(text).toContain('"api_key": "••••2468"')
    expect(text).not.toContain('dry-key-2468')
    expect(text).toMatch(/No enabled subscription matches event \d \(dry-alias\): not sent/)
    expect(vendor.received).toEqual([])
  })

  it('keeps a saved secret when the masked value is sent back', async () => {
    const src = await source('wk_act_mask')
    const d = await actionsDestination('Amplitude mask', { slug: 'amplitude', settings: { apiKey: 'mask-key-9876', secretKey: 'mask-secret' } }, [src])
    const shown = d.settings as ActionsSettings
    const res = await t.admin(`/api/destinations/${d.id}`, { method: 'PATCH', ...json({ settings: { ...shown, settings: { ...shown.settings, endpoint: 'europe' } } }) })
    expect(res.status).toBe(200)
    await t.track('/v1/track', { type: 'track', event: 'Masked', userId: 'u', messageId: 'mask-1' }, 'wk_act_mask')
    await expect.poll(() => vendor.received.length).toBe(1)
    // Europe's endpoint, and the real key.
    expect(vendor.received[0]).toMatchObject({ host: 'api.eu.amplitude.com', path: '/2/httpapi' })
    expect(vendor.received[0]!.body.api_key).toBe('mask-key-9876')
  })

  it('refuses bad settings with the field named', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ slug: 'amplitude', settings: { secretKey: 's' } }, 'settings.settings.apiKey'],
      [{ slug: 'amplitude', settings: { apiKey: 'k', secretKey: 's', endpoint: 'mars' } }, 'settings.settings.endpoint'],
      [{ slug: 'amplitude', settings: { apiKey: 'k', secretKey: 's', colour: 'red' } }, 'settings.settings.colour'],
      [{ slug: 'amplitude', settings: { apiKey: '••••1234', secretKey: 's' } }, 'settings.settings.apiKey'],
      [{ slug: 'no-such-destination', settings: {} }, 'settings.slug'],
      [{ slug: 'hubspot', settings: {} }, 'settings.slug'],
      [{ slug: 'amplitude', settings: { apiKey: 'k', secretKey: 's' }, subscriptions: [{ subscribe: 'type = "track', partnerAction: 'logEventV2' }] }, 'settings.subscriptions[0].subscribe'],
      [{ slug: 'amplitude', settings: { apiKey: 'k', secretKey: 's' }, subscriptions: [{ subscribe: 'type = "track"', partnerAction: 'nope' }] }, 'settings.subscriptions[0].partnerAction'],
      [{ slug: 'amplitude', settings: { apiKey: 'k', secretKey: 's' }, subscriptions: [{ subscribe: 'type = "track"', partnerAction: 'logEventV2', mapping: { event_type: { '@nope': 1 } } }] }, 'settings.subscriptions[0].mapping'],
      [{ slug: 'amplitude', settings: { apiKey: 'k', secretKey: 's' }, extra: 1 }, 'settings.extra']
    ]
    for (const [settings, field] of cases) {
      const res = await t.admin('/api/destinations', { method: 'POST', ...json({ name: 'Bad', kind: 'actions', settings }) })
      const body = await readJson(res)
      expect(res.status, JSON.stringify(settings)).toBe(400)
      expect(body.error, JSON.stringify(settings)).toMatchObject({ code: 'ERR_ADMIN_INVALID_BODY', field })
    }
    const oauth = await readJson(await t.admin('/api/destinations', { method: 'POST', ...json({ name: 'Bad', kind: 'actions', settings: { slug: 'hubspot', settings: {} } }) }))
    expect(oauth.error.message).toMatch(/OAuth/)
  })
})

describe('the catalogue API', () => {
  it('searches by name, slug and description', async () => {
    const { destinations } = (await t.get('/api/catalogue?q=amplitude')) as { destinations: CatalogueEntry[] }
    expect(destinations[0]).toMatchObject({ slug: 'amplitude', name: 'Actions Amplitude', authScheme: 'custom', unavailable: null, presetCount: 5 })
    expect(destinations[0]!.integrationNames).toEqual(expect.arrayContaining(['Amplitude', 'Actions Amplitude']))
    const all = (await t.get('/api/catalogue')).destinations as CatalogueEntry[]
    expect(all.length).toBeGreaterThan(200)
    expect((await t.get('/api/catalogue?q=zzzz-nothing')).destinations).toEqual([])
  })

  it('filters by Segment’s categories, derived from slug, name and description (any case, or the category’s slug)', async () => {
    const slugs = async (category: string) => ((await t.get(`/api/catalogue?category=${encodeURIComponent(category)}`)).destinations as CatalogueEntry[]).map((d) => d.slug)
    const analytics = await slugs('analytics')
    expect(analytics).toEqual(expect.arrayContaining(['amplitude', 'mixpanel', 'google-analytics-4']))
    expect(analytics).not.toContain('slack')
    expect(await slugs('Analytics')).toEqual(analytics)
    expect(await slugs('raw-data')).toEqual(expect.arrayContaining(['webhook', 'kafka', 'sftp', 'amazon-eventbridge', 'aws-kinesis']))
    expect(await slugs('SMS & Push Notifications')).toEqual(expect.arrayContaining(['twilio-messaging', 'braze']))
    expect(await slugs('sms-push-notifications')).toEqual(await slugs('SMS & Push Notifications'))
    expect(await slugs('advertising')).toEqual(expect.arrayContaining(['facebook-conversions-api', 'tiktok-conversions']))
    expect(await slugs('no such category')).toEqual([])
    // With a query too; and few destinations fit no category.
    expect(((await t.get('/api/catalogue?q=amplitude&category=analytics')).destinations as CatalogueEntry[])[0]!.slug).toBe('amplitude')
    const all = (await t.get('/api/catalogue')).destinations as CatalogueEntry[]
    expect(all.every((d) => d.categories.length > 0)).toBe(true)
    expect(all.filter((d) => d.categories.includes('Other')).length).toBeLessThan(all.length / 10)
  })

  it('marks destinations that need Segment-side OAuth, audiences or pipeline as unavailable', async () => {
    const hubspot = (await t.get('/api/catalogue/hubspot')) as CatalogueDestination
    expect(hubspot).toMatchObject({ authScheme: 'oauth2', unavailable: expect.stringMatching(/OAuth/) })
    expect(((await t.get('/api/catalogue/segment')) as CatalogueDestination).unavailable).toMatch(/pipeline/)
    const amplitude = (await t.get('/api/catalogue/actions-amplitude')) as CatalogueDestination
    expect(amplitude.slug).toBe('amplitude')
    expect(amplitude.settingsSchema).toMatchObject({ type: 'object', required: ['apiKey', 'secretKey'] })
    expect(amplitude.settings.find((f) => f.key === 'apiKey')).toMatchObject({ type: 'password', required: true })
    const missing = await t.admin('/api/catalogue/nope')
    expect(missing.status).toBe(404)
    expect((await readJson(missing)).error.code).toBe('ERR_ADMIN_NOT_FOUND')
  })
})
