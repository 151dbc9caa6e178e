import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Source } from '../../../src-shared/api'
import type { RevalidateJob, TrackingPlan } from '../../../src-shared/plans'
import { readJson, startTestEngine, type TestEngine } from '../test-engine'
import { RevalidateRunner } from './revalidate'
import { compilePlan } from './validator'

let t: TestEngine
let web: Source
let app: Source
let plan: TrackingPlan

const send = (method: string, body: unknown): RequestInit => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

const RULES = [
  {
    type: 'TRACK',
    key: 'Order Completed',
    jsonSchema: { type: 'object', properties: { properties: { type: 'object', required: ['total'], properties: { total: { type: 'number' }, currency: { enum: ['EUR', 'USD'] } } } } }
  }
]

beforeAll(async () => {
  t = await startTestEngine()
  web = (await readJson(await t.admin('/api/sources', send('POST', { name: 'Web' })))) as Source
  app = (await readJson(await t.admin('/api/sources', send('POST', { name: 'App' })))) as Source
  const batch = [
    { type: 'track', userId: 'u', event: 'Order Completed', properties: { total: 10, currency: 'EUR' } },
    { type: 'track', userId: 'u', event: 'Order Completed', properties: { total: '10', currency: 'GBP' } },
    { type: 'track', userId: 'u', event: 'Order Completed', properties: { currency: 'EUR' } },
    { type: 'track', userId: 'u', event: 'Order Completed', properties: { total: 'x' } },
    { type: 'track', userId: 'u', event: 'Signed Up' },
    { type: 'identify', userId: 'u', traits: { email: 'a@example.com' } }
  ]
  expect((await t.track('/v1/batch', { batch }, web.writeKey)).status).toBe(200)
  expect((await t.track('/v1/track', { userId: 'u', event: 'Other' }, app.writeKey)).status).toBe(200)
  // Connected after the events are stored: re-validation is the what-if over history.
  const created = await t.admin('/api/plans', send('POST', { name: 'Shop', rules: RULES }))
  expect(created.status).toBe(201)
  plan = (await readJson(created)) as TrackingPlan
  expect((await t.admin(`/api/plans/${plan.id}`, send('PATCH', { sourceIds: [web.id] }))).status).toBe(200)
})
afterAll(async () => {
  await t.stop()
})

const finished = async (job: RevalidateJob): Promise<RevalidateJob> => {
  let current = job
  await expect
    .poll(async () => {
      current = (await t.get(`/api/plans/${plan.id}/revalidate/${job.id}`)) as RevalidateJob
      return current.state
    })
    .toBe('done')
  return current
}

describe('POST /api/plans/:id/revalidate', () => {
  it('checks the connected sources’ stored events and groups violations by event, kind and field', async () => {
    const res = await t.admin(`/api/plans/${plan.id}/revalidate`, send('POST', {}))
    expect(res.status).toBe(202)
    const job = await finished((await readJson(res)) as RevalidateJob)
    expect(job).toMatchObject({ planId: plan.id, planVersion: plan.version, total: 6, checked: 6, withViolations: 4, error: null })
    const groups = job.groups.map((g) => `${g.event} ${g.kind} ${g.pointer} ${g.count}`).sort()
    expect(groups).toEqual([
      'Order Completed missing_required /properties/total 1',
      'Order Completed not_allowed /properties/currency 1',
      'Order Completed wrong_type /properties/total 2',
      'Signed Up unplanned_event /event 1'
    ])
    const sample = job.groups.find((g) => g.kind === 'unplanned_event')!.sampleEventId
    expect((await t.get(`/api/events/${sample}`)).name).toBe('Signed Up')
    expect(job.groups[0]).toMatchObject({ kind: 'wrong_type', count: 2 })
  })

  it('takes other sources and a time range', async () => {
    const other = await finished((await readJson(await t.admin(`/api/plans/${plan.id}/revalidate`, send('POST', { sourceIds: [app.id] })))) as RevalidateJob)
    expect(other).toMatchObject({ total: 1, checked: 1, withViolations: 1, groups: [{ event: 'Other', kind: 'unplanned_event' }] })
    const future = new Date(Date.now() + 3_600_000).toISOString()
    const none = await finished((await readJson(await t.admin(`/api/plans/${plan.id}/revalidate`, send('POST', { from: future })))) as RevalidateJob)
    expect(none).toMatchObject({ total: 0, checked: 0, groups: [] })
  })

  it('refuses bad input naming the field, and unknown plans or jobs', async () => {
    for (const [body, field] of [
      [{ sourceIds: [9999] }, 'sourceIds'],
      [{ sourceIds: [] }, 'sourceIds'],
      [{ from: 'soon' }, 'from'],
      [{ limit: 1 }, 'limit']
    ] as const) {
      const res = await t.admin(`/api/plans/${plan.id}/revalidate`, send('POST', body))
      expect(res.status).toBe(400)
      expect((await readJson(res)).error).toMatchObject({ code: 'ERR_ADMIN_INVALID_BODY', field })
    }
    expect((await t.admin('/api/plans/9999/revalidate', send('POST', {}))).status).toBe(404)
    expect((await t.admin(`/api/plans/${plan.id}/revalidate/rv_9999`)).status).toBe(404)
  })
})

describe('RevalidateRunner', () => {
  it('walks in slices and can be cancelled between them', async () => {
    const runner = new RevalidateRunner(t.engine.context.db, 2)
    const scope = { planId: plan.id, planVersion: plan.version, plan: compilePlan(plan.rules), sourceIds: [web.id], minId: 0, belowId: Number.MAX_SAFE_INTEGER }
    const sliced = runner.start(scope)
    await expect.poll(() => runner.view(sliced.id)!.state).toBe('done')
    expect(runner.view(sliced.id)).toMatchObject({ checked: 6, withViolations: 4 })

    const cancelled = runner.start(scope)
    runner.cancel(cancelled.id)
    await expect.poll(() => runner.view(cancelled.id)!.state).toBe('cancelled')
    expect(runner.view(cancelled.id)!.checked).toBeLessThan(6)
  })
})
