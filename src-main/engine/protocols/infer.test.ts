import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Source } from '../../../src-shared/api'
import type { CreatePlanRequest, PlanRule } from '../../../src-shared/plans'
import { readJson, startTestEngine, type TestEngine } from '../test-engine'
import { compilePlan } from './validator'

let t: TestEngine
let source: Source

const post = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

// A recorded stream with the awkward cases: optional and mixed-type properties, nested objects, arrays whose
// items differ, keys with dots, quotes and `toString`, and every call type.
const STREAM: Record<string, unknown>[] = [
  { type: 'track', userId: 'u1', event: 'Order Completed', properties: { order_id: 'o1', total: 10, currency: 'EUR', items: [{ sku: 'a', qty: 1 }, { sku: 'b' }], shipping: { method: 'post', address: { city: 'Paris' } } } },
  { type: 'track', userId: 'u2', event: 'Order Completed', properties: { order_id: 'o2', total: 12.5, currency: null, items: [], coupon: 'X', shipping: { method: 'pickup' } } },
  { type: 'track', userId: 'u3', event: 'Order Completed', properties: { order_id: 'o3', total: 7, currency: 'USD', items: [{ sku: 'c', qty: 2 }], shipping: 'none' } },
  { type: 'track', userId: 'u1', event: 'Signed Up', properties: { 'plan.name': 'pro', 'say "hi"': true, toString: { polluted: 1 }, tags: ['a', 1, null] } },
  { type: 'track', userId: 'u1', event: 'Empty' },
  { type: 'identify', userId: 'u1', traits: { email: 'a@example.com', age: 30 } },
  { type: 'identify', userId: 'u2', traits: { email: 'b@example.com' } },
  { type: 'group', userId: 'u1', groupId: 'g1', traits: { name: 'Acme', employees: 12 } },
  { type: 'page', userId: 'u1', name: 'Home', properties: { path: '/', title: 'Home' } },
  { type: 'page', userId: 'u1', name: 'Cart', properties: { path: '/cart' } },
  { type: 'screen', userId: 'u1', name: 'Main', properties: { tab: 1 } },
  { type: 'alias', userId: 'u1', previousId: 'anon' }
]

beforeAll(async () => {
  t = await startTestEngine()
  source = (await readJson(await t.admin('/api/sources', post({ name: 'Shop' })))) as Source
  expect((await t.track('/v1/batch', { batch: STREAM }, source.writeKey)).status).toBe(200)
})
afterAll(async () => {
  await t.stop()
})

const infer = async (body: unknown) => {
  const res = await t.admin('/api/plans/infer', post(body))
  return { status: res.status, body: await readJson(res) }
}

const storedMessages = (): Record<string, unknown>[] =>
  (t.engine.context.db.prepare('SELECT payload FROM events WHERE source_id = ? ORDER BY id').pluck().all(source.id) as string[]).map((p) => JSON.parse(p) as Record<string, unknown>)

const rule = (rules: PlanRule[], type: string, key?: string): Record<string, any> => rules.find((r) => r.type === type && r.key === key)!.jsonSchema as Record<string, any>

describe('POST /api/plans/infer', () => {
  it('drafts rules per call type with observed types, required-ness and examples', async () => {
    const { status, body } = await infer({ sourceId: source.id })
    expect(status).toBe(200)
    const draft = body as CreatePlanRequest
    expect(draft.name).toBe('Shop (inferred)')
    const rules = draft.rules!
    expect(rules.map((r) => `${r.type}:${r.key ?? ''}`)).toEqual(['TRACK:Empty', 'TRACK:Order Completed', 'TRACK:Signed Up', 'IDENTIFY:', 'GROUP:', 'PAGE:', 'SCREEN:'])

    const order = rule(rules, 'TRACK', 'Order Completed')
    expect(order.$schema).toBe('http://json-schema.org/draft-07/schema#')
    const props = order.properties.properties
    expect(props.required).toEqual(['currency', 'items', 'order_id', 'shipping', 'total'])
    expect(props.properties.total).toEqual({ type: 'number', examples: [expect.any(Number)] })
    expect(props.properties.currency.type).toEqual(['null', 'string'])
    expect(props.properties.items.items).toMatchObject({ type: 'object', required: ['sku'], properties: { sku: { type: 'string' }, qty: { type: 'integer' } } })
    expect(props.properties.shipping).toMatchObject({ type: ['object', 'string'], required: ['method'], properties: { address: { type: 'object', required: ['city'] } } })

    const signedUp = rule(rules, 'TRACK', 'Signed Up').properties.properties
    expect(Object.keys(signedUp.properties).sort()).toEqual(['plan.name', 'say "hi"', 'tags', 'toString'].sort())
    expect(signedUp.properties.tags.items.type).toEqual(['integer', 'null', 'string'])
    expect(rule(rules, 'IDENTIFY').properties.traits).toMatchObject({ required: ['email'], properties: { email: { type: 'string', examples: [expect.stringContaining('@example.com')] }, age: { type: 'integer' } } })
    expect(rule(rules, 'PAGE').properties.properties).toMatchObject({ required: ['path'], properties: { path: {}, title: {} } })
  })

  it('drafts a plan that validates the stream it came from without violations, and saves as a plan', async () => {
    for (const threshold of [1, 0.5]) {
      const draft = (await infer({ sourceId: source.id, requiredThreshold: threshold })).body as CreatePlanRequest
      const plan = compilePlan(draft.rules!)
      const messages = storedMessages()
      expect(messages).toHaveLength(STREAM.length)
      const violations = messages.map((m) => plan.validate(m)).filter((v) => v.length > 0)
      // At 0.5, a property in half of an event's occurrences becomes required: those events may now fail.
      if (threshold === 1) expect(violations).toEqual([])
      else expect(rule(draft.rules!, 'IDENTIFY').properties.traits.required).toEqual(['age', 'email'])
    }
    const draft = (await infer({ sourceId: source.id })).body as CreatePlanRequest
    const saved = await t.admin('/api/plans', post(draft))
    expect(saved.status).toBe(201)
    // A new event outside the draft is flagged: the plan is not a blanket allow.
    const plan = compilePlan(draft.rules!)
    expect(plan.validate({ type: 'track', event: 'Order Completed', properties: { order_id: 1, total: 1, currency: 'EUR', items: [], shipping: 'x', extra: 1 } }).map((v) => v.kind).sort()).toEqual(['unplanned_property', 'wrong_type'])
  })

  it('limits the draft to a time range', async () => {
    const future = new Date(Date.now() + 3_600_000).toISOString()
    const { body } = await infer({ sourceId: source.id, from: future })
    expect((body as CreatePlanRequest).rules).toEqual([])
  })

  it('refuses bad input naming the field', async () => {
    for (const [body, field] of [
      [{}, 'sourceId'],
      [{ sourceId: 999 }, 'sourceId'],
      [{ sourceId: source.id, requiredThreshold: 0 }, 'requiredThreshold'],
      [{ sourceId: source.id, from: 'yesterday' }, 'from'],
      [{ sourceId: source.id, name: 'x' }, 'name']
    ] as const) {
      const { status, body: error } = await infer(body)
      expect(status).toBe(400)
      expect(error.error).toMatchObject({ code: 'ERR_ADMIN_INVALID_BODY', field })
    }
  })
})
