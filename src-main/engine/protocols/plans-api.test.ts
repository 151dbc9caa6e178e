import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PlanRule, SegmentPlanFile, TrackingPlan } from '../../../src-shared/plans'
import { startTestEngine, type TestEngine } from '../test-engine'

let t: TestEngine
beforeAll(async () => {
  t = await startTestEngine()
})
afterAll(async () => {
  await t.stop()
})

const send = (method: string, path: string, body?: unknown) =>
  t.admin(path, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) })
const json = async (method: string, path: string, body?: unknown, status = 200): Promise<any> => {
  const res = await send(method, path, body)
  const out: any = await res.json()
  expect(res.status, JSON.stringify(out)).toBe(status)
  return out
}
const source = async (name: string): Promise<number> => (await json('POST', '/api/sources', { name }, 201)).id

// As Segment's Public API lists them (its extra keywords included: strict is off for them).
const segmentFile: SegmentPlanFile = {
  name: 'Web',
  description: 'The storefront',
  rules: [
    { type: 'COMMON', version: 1, jsonSchema: { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties: { context: { type: 'object' } } } },
    {
      key: 'Order Completed',
      type: 'TRACK',
      version: 1,
      jsonSchema: {
        $schema: 'http://json-schema.org/draft-07/schema#',
        labels: { team: 'checkout' },
        type: 'object',
        properties: { properties: { type: 'object', properties: { total: { type: 'number', description: 'In cents', id: '/properties/total' } }, required: ['total'] } },
        required: ['properties']
      }
    },
    { key: 'Order Completed', type: 'TRACK', version: 2, jsonSchema: { type: 'object', properties: { properties: { type: 'object', properties: { total: { type: 'integer' } } } } } },
    { type: 'IDENTIFY', version: 1, jsonSchema: { type: 'object', properties: { traits: { type: 'object', properties: { email: { type: 'string', format: 'email' } } } } } }
  ]
}

describe('tracking plans API', () => {
  it('round-trips a plan through Segment’s format', async () => {
    const plan: TrackingPlan = await json('POST', '/api/plans/import', segmentFile, 201)
    expect(plan).toMatchObject({ name: 'Web', description: 'The storefront', version: 1, sourceIds: [] })
    expect(plan.rules).toEqual(segmentFile.rules)
    const exported = await send('GET', `/api/plans/${plan.id}/export`)
    expect(exported.headers.get('content-disposition')).toBe('attachment; filename="Web.json"')
    expect(await exported.json()).toEqual(segmentFile)
    // A saved Public API answer imports as is.
    const wrapped = await json('POST', '/api/plans/import', { data: { trackingPlan: { name: 'Wrapped' }, rules: segmentFile.rules } }, 201)
    expect(wrapped.name).toBe('Wrapped')
    expect(wrapped.rules).toEqual(segmentFile.rules)
    expect((await json('GET', `/api/plans/${plan.id}/versions`)).versions).toEqual([{ version: 1, createdAt: expect.any(String), note: 'Imported', rules: 4 }])
  })

  it('imports a JSON Schema file per event as TRACK rules', async () => {
    const plan: TrackingPlan = await json('POST', '/api/plans/import', { name: 'Schemas', schemas: { 'Signed Up': { type: 'object', properties: { method: { type: 'string' } }, required: ['method'] } } }, 201)
    expect(plan.rules).toEqual([
      { type: 'TRACK', key: 'Signed Up', version: 1, jsonSchema: { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties: { properties: { type: 'object', properties: { method: { type: 'string' } }, required: ['method'] } } } }
    ])
    const compiled = t.engine.context.planValidators.get(plan.id, plan.version, () => plan.rules)
    expect(compiled.validate({ type: 'track', event: 'Signed Up', properties: {} }).map((v) => [v.kind, v.pointer])).toEqual([['missing_required', '/properties/method']])
  })

  it('refuses a schema ajv cannot compile, naming the rule', async () => {
    const rules = [...segmentFile.rules, { key: 'Bad', type: 'TRACK', jsonSchema: { type: 'object' } }, { key: 'Worse', type: 'TRACK', jsonSchema: { type: 'objet' } }]
    const res = await send('POST', '/api/plans', { name: 'Bad', rules })
    expect(res.status).toBe(400)
    const { error } = (await res.json()) as any
    expect(error.code).toBe('ERR_ADMIN_INVALID_BODY')
    expect(error.field).toBe('rules[5].jsonSchema')
    expect(error.message).toMatch(/^rules\[5\]\.jsonSchema: schema is invalid: .*type must be equal to one of the allowed values/)
    const missingRef: any = await (await send('POST', '/api/plans/import', { schemas: { A: { $ref: '#/definitions/nope' } } })).json()
    expect(missingRef.error.field).toBe('schemas["A"]')
    expect(missingRef.error.message).toMatch(/can't resolve reference/)
    const notSchema: any = await (await send('POST', '/api/plans/import', { schemas: { A: {}, 'B b': 'string' } })).json()
    expect(notSchema.error).toMatchObject({ field: 'schemas["B b"]', message: 'schemas["B b"]: must be a JSON Schema object' })
    for (const [body, field] of [
      [{ name: 'X', rules: [{ type: 'TRACK', jsonSchema: {} }] }, 'rules[0].key'],
      [{ name: 'X', rules: [{ type: 'track', key: 'a', jsonSchema: {} }] }, 'rules[0].type'],
      [{ name: 'X', rules: [{ type: 'COMMON', jsonSchema: [] }] }, 'rules[0].jsonSchema'],
      [{ name: 'X', rules: [{ type: 'COMMON', jsonSchema: {} }, { type: 'COMMON', version: 1, jsonSchema: {} }] }, 'rules[1]'],
      [{ name: '', rules: [] }, 'name'],
      [{ name: 'X', sourceIds: [999_999] }, 'sourceIds[0]'],
      [{ name: 'X', colour: 'red' }, 'colour']
    ] as const) {
      const r = await send('POST', '/api/plans', body)
      expect(r.status).toBe(400)
      expect(((await r.json()) as any).error.field).toBe(field)
    }
    expect((await json('GET', '/api/plans')).plans.map((p: TrackingPlan) => p.name)).not.toContain('Bad')
  })

  it('keeps every change of rules as a version, and diffs two versions', async () => {
    const v1: PlanRule[] = [
      { type: 'TRACK', key: 'A', jsonSchema: { type: 'object', properties: { properties: { type: 'object', properties: { x: { type: 'string' } }, required: ['x'] } } } },
      { type: 'TRACK', key: 'Gone', jsonSchema: {} }
    ]
    const plan: TrackingPlan = await json('POST', '/api/plans', { name: 'Versions', rules: v1 }, 201)
    const renamed: TrackingPlan = await json('PATCH', `/api/plans/${plan.id}`, { name: 'Versioned' })
    expect(renamed).toMatchObject({ name: 'Versioned', version: 1 })
    const v2: PlanRule[] = [
      { type: 'TRACK', key: 'A', jsonSchema: { type: 'object', properties: { properties: { type: 'object', properties: { x: { type: 'integer' }, y: { type: 'string' } }, required: ['x', 'y'] } } } },
      { type: 'TRACK', key: 'New', jsonSchema: {} }
    ]
    const changed: TrackingPlan = await json('PATCH', `/api/plans/${plan.id}`, { rules: v2, note: 'x is a number now' })
    expect(changed).toMatchObject({ version: 2, rules: v2 })
    expect((await json('GET', `/api/plans/${plan.id}/versions`)).versions.map((v: { version: number; note: string | null }) => [v.version, v.note])).toEqual([[2, 'x is a number now'], [1, null]])
    expect((await json('GET', `/api/plans/${plan.id}/versions/1`)).rules).toEqual(v1)
    expect(await json('GET', `/api/plans/${plan.id}/diff?from=1&to=2`)).toEqual({
      planId: plan.id,
      from: 1,
      to: 2,
      added: [{ type: 'TRACK', key: 'New', version: 1 }],
      removed: [{ type: 'TRACK', key: 'Gone', version: 1 }],
      changed: [{ type: 'TRACK', key: 'A', version: 1, paths: ['/properties/properties/properties/x/type', '/properties/properties/properties/y', '/properties/properties/required'] }]
    })
    expect((await json('GET', `/api/plans/${plan.id}/diff`)).from).toBe(1)
    expect((await json('GET', `/api/plans/${plan.id}/versions/3`, undefined, 404)).error.field).toBe('v')
    expect((await json('GET', `/api/plans/${plan.id}/diff?from=0&to=2`, undefined, 404)).error.field).toBe('from')
    // The new version's validator is the one the API compiled.
    const compiled = t.engine.context.planValidators.get(plan.id, 2, () => { throw new Error('compiled again') })
    expect(compiled.validate({ type: 'track', event: 'A', properties: { x: 'one', y: 'b' } }).map((v) => v.kind)).toEqual(['wrong_type'])
  })

  it('keeps plan names unique and makes no version for the same rules again', async () => {
    const plan = await json('POST', '/api/plans', { name: 'Unique', rules: [{ type: 'TRACK', key: 'A', jsonSchema: { properties: { properties: { type: 'object', properties: { x: { type: 'string' } } } } } }] }, 201)
    const taken = await json('POST', '/api/plans', { name: 'Unique' }, 409)
    expect(taken.error.field).toBe('name')
    const other = await json('POST', '/api/plans', { name: 'Other' }, 201)
    expect((await json('PATCH', `/api/plans/${other.id}`, { name: 'Unique' }, 409)).error.field).toBe('name')
    const exported = await json('GET', `/api/plans/${plan.id}/export`)
    expect((await json('POST', '/api/plans/import', exported, 201)).name).toBe('Unique (2)')
    // Same rules, keys in another order: still version 1.
    const reordered = [{ key: 'A', jsonSchema: { properties: { properties: { properties: { x: { type: 'string' } }, type: 'object' } } }, type: 'TRACK' }]
    expect((await json('PATCH', `/api/plans/${plan.id}`, { rules: reordered })).version).toBe(1)
  })

  it('connects sources, moving a source from its previous plan; deletes', async () => {
    const [s1, s2, s3] = [await source('plans-one'), await source('plans-two'), await source('plans-three')]
    const a: TrackingPlan = await json('POST', '/api/plans', { name: 'A', sourceIds: [s1, s2] }, 201)
    expect(a.sourceIds).toEqual([s1, s2])
    const b: TrackingPlan = await json('POST', '/api/plans', { name: 'B' }, 201)
    expect((await json('PATCH', `/api/plans/${b.id}`, { sourceIds: [s2, s3] })).sourceIds).toEqual([s2, s3])
    expect((await json('GET', `/api/plans/${a.id}`)).sourceIds).toEqual([s1])
    expect(t.engine.context.plans.forSource(s2)).toEqual({ planId: b.id, version: 1 })
    expect((await json('PATCH', `/api/plans/${b.id}`, { sourceIds: [s3] })).sourceIds).toEqual([s3])
    expect(t.engine.context.plans.forSource(s2)).toBeNull()
    // Deleting a source or a plan drops its connections.
    await json('DELETE', `/api/sources/${s3}`)
    expect((await json('GET', `/api/plans/${b.id}`)).sourceIds).toEqual([])
    expect((await json('DELETE', `/api/plans/${a.id}`)).deleted.name).toBe('A')
    expect(t.engine.context.plans.forSource(s1)).toBeNull()
    expect((await json('GET', `/api/plans/${a.id}`, undefined, 404)).error.code).toBe('ERR_ADMIN_NOT_FOUND')
    expect((await json('GET', `/api/plans/${a.id}/versions`, undefined, 404)).error.field).toBe('id')
  })
})
