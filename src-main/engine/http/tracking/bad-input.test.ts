// Hostile and broken input: every case gets a clear 4xx with a code, the engine stays up, and nothing
// of a refused request is stored.

import { deflateSync, gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Stats } from '../../../../src-shared/api'
import { basicAuth, startTestEngine, type TestEngine, readJson } from '../../test-engine'

let t: TestEngine

beforeAll(async () => {
  t = await startTestEngine({ maxRequestBytes: '256kb', maxMessageBytes: '100kb' })
})
afterAll(async () => {
  await t.stop()
})

async function storedCount(): Promise<number> {
  const stats = (await t.get('/api/stats')) as Stats
  return stats.events.total
}

async function post(path: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(`${t.baseUrl}${path}`, { method: 'POST', headers: { authorization: basicAuth('wk_bad'), ...headers }, body })
  return { status: res.status, body: await readJson(res) }
}

/** `{"a":{"a":…}}` as text: too deep for JSON.stringify itself. */
function nested(depth: number): string {
  return '{"a":'.repeat(depth) + '"bottom"' + '}'.repeat(depth)
}

const cases: [string, () => Promise<{ status: number; body: any }>, number, string, string?][] = [
  ['malformed JSON', () => post('/v1/track', '{"userId": "u", "event": '), 400, 'ERR_BODY_INVALID_JSON'],
  ['an empty body', () => post('/v1/track', ''), 400, 'ERR_BODY_EMPTY'],
  ['a JSON array instead of an object', () => post('/v1/track', '[1,2]'), 400, 'ERR_BODY_NOT_OBJECT'],
  ['invalid UTF-8', () => post('/v1/track', Buffer.concat([Buffer.from('{"userId":"'), Buffer.from([0xc3, 0x28]), Buffer.from('","event":"E"}')])), 400, 'ERR_BODY_INVALID_UTF8'],
  ['a request over the hard limit', () => post('/v1/track', JSON.stringify({ userId: 'u', event: 'E', properties: { x: 'x'.repeat(300 * 1024) } })), 413, 'ERR_LIMIT_REQUEST_TOO_LARGE', 'maxRequestBytes'],
  ['a message over the hard limit', () => post('/v1/track', JSON.stringify({ userId: 'u', event: 'E', properties: { x: 'x'.repeat(150 * 1024) } })), 413, 'ERR_LIMIT_MESSAGE_TOO_LARGE', 'maxMessageBytes'],
  ['a gzip bomb', () => post('/v1/batch', gzipSync(Buffer.alloc(50 * 1024 * 1024, 0x20)), { 'content-encoding': 'gzip' }), 413, 'ERR_LIMIT_REQUEST_TOO_LARGE', 'maxRequestBytes'],
  ['a deflate bomb', () => post('/v1/batch', deflateSync(Buffer.alloc(50 * 1024 * 1024, 0x20)), { 'content-encoding': 'deflate' }), 413, 'ERR_LIMIT_REQUEST_TOO_LARGE', 'maxRequestBytes'],
  ['a body that is not gzip', () => post('/v1/track', 'not gzip at all', { 'content-encoding': 'gzip' }), 400, 'ERR_BODY_BAD_COMPRESSION', 'Content-Encoding'],
  ['an unknown Content-Encoding', () => post('/v1/track', '{}', { 'content-encoding': 'zstd' }), 415, 'ERR_BODY_UNSUPPORTED_ENCODING', 'Content-Encoding'],
  ['no userId or anonymousId', () => post('/v1/track', JSON.stringify({ event: 'E' })), 400, 'ERR_SPEC_MISSING_USER', 'userId'],
  ['a track without event', () => post('/v1/track', JSON.stringify({ userId: 'u' })), 400, 'ERR_SPEC_MISSING_EVENT', 'event'],
  ['a group without groupId', () => post('/v1/group', JSON.stringify({ userId: 'u' })), 400, 'ERR_SPEC_MISSING_GROUP_ID', 'groupId'],
  ['an alias without previousId', () => post('/v1/alias', JSON.stringify({ userId: 'u' })), 400, 'ERR_SPEC_MISSING_PREVIOUS_ID', 'previousId'],
  ['an object as userId', () => post('/v1/identify', JSON.stringify({ userId: { id: 1 } })), 400, 'ERR_SPEC_INVALID_FIELD', 'userId'],
  ['properties that are not an object', () => post('/v1/track', JSON.stringify({ userId: 'u', event: 'E', properties: [1, 2] })), 400, 'ERR_SPEC_INVALID_FIELD', 'properties'],
  ['a messageId over 100 characters', () => post('/v1/track', JSON.stringify({ userId: 'u', event: 'E', messageId: 'm'.repeat(101) })), 400, 'ERR_SPEC_MESSAGE_ID_TOO_LONG', 'messageId'],
  ['a __proto__ key', () => post('/v1/track', '{"userId":"u","event":"E","properties":{"__proto__":{"admin":true}}}'), 400, 'ERR_SPEC_FORBIDDEN_KEY', 'properties.__proto__'],
  ['a __proto__ key written with \\u escapes', () => post('/v1/track', '{"userId":"u","event":"E","properties":{"\\u005f_proto__":{"admin":true}}}'), 400, 'ERR_SPEC_FORBIDDEN_KEY', 'properties.__proto__'],
  ['a constructor.prototype key', () => post('/v1/identify', '{"userId":"u","traits":{"constructor":{"prototype":{"x":1}}}}'), 400, 'ERR_SPEC_FORBIDDEN_KEY', 'traits.constructor'],
  ['objects nested 10,000 deep', () => post('/v1/track', `{"userId":"u","event":"E","properties":${nested(10_000)}}`), 400, 'ERR_LIMIT_TOO_DEEP'],
  ['a batch that is not an array', () => post('/v1/batch', JSON.stringify({ batch: { type: 'track' } })), 400, 'ERR_SPEC_BATCH_NOT_ARRAY', 'batch'],
  ['an empty batch', () => post('/v1/batch', JSON.stringify({ batch: [] })), 400, 'ERR_SPEC_BATCH_EMPTY', 'batch'],
  ['a batch item with an invalid type', () => post('/v1/batch', JSON.stringify({ batch: [{ type: 'purchase', userId: 'u' }] })), 400, 'ERR_SPEC_INVALID_TYPE', 'batch[0].type'],
  ['a batch of non-objects', () => post('/v1/batch', JSON.stringify({ batch: [1, 'two', null] })), 400, 'ERR_BODY_NOT_OBJECT', 'batch[0]']
]

describe('bad input', () => {
  it.each(cases)('%s: the right 4xx, nothing stored', async (_name, send, status, code, field) => {
    const before = await storedCount()
    const answer = await send()
    expect(answer.status).toBe(status)
    expect(answer.body.error.code).toBe(code)
    expect(answer.body.error.message).toEqual(expect.any(String))
    if (field) expect(answer.body.error.field).toBe(field)
    expect(await storedCount()).toBe(before)
    // Still up and still storing.
    expect((await t.track('/v1/track', { userId: 'u', event: 'Still Alive' }, 'wk_bad')).status).toBe(200)
  })

  it('stores the valid messages of a partly invalid batch and names the others', async () => {
    const res = await post('/v1/batch', JSON.stringify({
      batch: [
        { type: 'track', event: 'Good', userId: 'u', messageId: 'partial-0' },
        { type: 'track', userId: 'u' },
        { type: 'identify', userId: 'u', messageId: 'partial-2' },
        { type: 'nope', userId: 'u' }
      ]
    }))
    expect(res.status).toBe(200)
    expect(res.body.success).toBe(true)
    expect(res.body.rejected).toEqual([
      { index: 1, code: 'ERR_SPEC_MISSING_EVENT', message: expect.any(String), field: 'batch[1].event' },
      { index: 3, code: 'ERR_SPEC_INVALID_TYPE', message: expect.any(String), field: 'batch[3].type' }
    ])
    const stored = await t.get('/api/events?messageId=partial-2')
    expect(stored.events).toHaveLength(1)
  })

  it('gives every rejected message of a fully invalid batch in the 400', async () => {
    const res = await post('/v1/batch', JSON.stringify({ batch: [{ type: 'track', userId: 'u' }, { type: 'identify' }] }))
    expect(res.status).toBe(400)
    expect(res.body.rejected.map((r: { index: number }) => r.index)).toEqual([0, 1])
  })

  it('stops auto-creating sources at 1,000 (any page can invent write keys)', async () => {
    const before = (await t.get('/api/sources')).sources.length
    for (let start = before; start < 1000; start += 100) {
      const keys = Array.from({ length: Math.min(100, 1000 - start) }, (_, i) => `wk_many_${start + i}`)
      const answers = await Promise.all(keys.map((key) => t.track('/v1/track', { userId: 'u', event: 'E' }, key)))
      expect(answers.every((a) => a.status === 200)).toBe(true)
    }
    const refused = await t.track('/v1/track', { userId: 'u', event: 'E' }, 'wk_one_too_many')
    expect(refused.status).toBe(401)
    expect((await readJson(refused)).error.message).toMatch(/auto-created 1000 sources/)
    // Known keys keep working, and an explicitly created source is still possible.
    expect((await t.track('/v1/track', { userId: 'u', event: 'E' }, 'wk_many_5')).status).toBe(200)
    const created = await t.admin('/api/sources', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Explicit', writeKey: 'wk_explicit' }) })
    expect(created.status).toBe(201)
  })

  it('survives a burst of garbage mixed with good events', async () => {
    const before = await storedCount()
    const sends = Array.from({ length: 200 }, (_, i) =>
      i % 2 === 0 ? post('/v1/track', '{"broken') : post('/v1/track', JSON.stringify({ userId: 'u', event: 'Burst', messageId: `burst-${i}` }))
    )
    const answers = await Promise.all(sends)
    expect(answers.filter((a) => a.status === 200)).toHaveLength(100)
    expect(answers.filter((a) => a.status === 400)).toHaveLength(100)
    expect(await storedCount()).toBe(before + 100)
  })
})
