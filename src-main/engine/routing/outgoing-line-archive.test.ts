// End to end: a real engine archives oddly spelled events through the file destination, whose lines the
// router makes from the stored text (routing/outgoing-line.ts) when it can. Every archived line must say
// what the parsed path says for that stored row, and what the parsed path leaves out stays out.

import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { basicAuth, readJson, startTestEngine, type TestEngine } from '../test-engine'
import { useTempDirs } from '../test-temp-dirs'
import { toOutgoingEvent } from './outgoing-event'

let t: TestEngine
const tempDir = useTempDirs('loupe-outgoing-line-')

beforeAll(async () => {
  t = await startTestEngine()
})
afterAll(async () => {
  await t.stop()
})

function archived(folder: string): string[] {
  const lines: string[] = []
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else lines.push(...gunzipSync(readFileSync(path)).toString('utf8').split('\n').filter((line) => line !== ''))
    }
  }
  walk(folder)
  return lines
}

it('archives each event as the parsed path would, whichever way its line was made', async () => {
  const folder = tempDir()
  const writeKey = 'wk_outgoing_line'
  const source = (await readJson(await t.admin('/api/sources', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Odd', writeKey }) }))).id
  const created = await t.admin('/api/destinations', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Archive', kind: 'file', settings: { folder, gzip: true, partition: 'source-day' }, sourceIds: [source] })
  })
  expect(created.status).toBe(201)
  const destination = (await readJson(created)).id

  // The batch is sent as text: the stored payloads are these exact spellings.
  const events = [
    '{"type":"track","event":"plain","userId":"u1","messageId":"line-1","properties":{"a":1.0,"b":1e3,"c":-0,"d":"caf\\u00e9"}}',
    '{\n  "type" : "track",\n  "event": "pretty",\n  "userId": "u2",\n  "messageId": "line-2",\n  "properties": {\n    "nested": [1, 2, {"x": null}]\n  }\n}',
    '{"type":"track","event":"has key","writeKey":"wk_should_not_leave","userId":"u3","messageId":"line-3","integrations":{"All":false,"File":true}}',
    '{"type":"track","event":"off","userId":"u4","messageId":"line-4","integrations":{"Archive":false}}',
    '{"type":"track","event":"twice","event":"second","userId":"u5","messageId":"line-5"}',
    `{"type":"identify","userId":"u6","messageId":"line-6","traits":{"big":1e400,"neg":-1e-400},"timestamp":"${new Date(Date.now() - 60_000).toISOString()}","originalTimestamp":"kept?"}`,
    '{"type":"track","event":"with index key","1":"one","userId":"u7","messageId":"line-7"}'
  ]
  const body = `{"batch":[${events.join(',\n')}],"sentAt":"${new Date().toISOString()}"}`
  const res = await fetch(`${t.baseUrl}/v1/batch`, { method: 'POST', headers: { authorization: basicAuth(writeKey), 'content-type': 'application/json' }, body })
  expect(res.status).toBe(200)

  const newest = Number((await t.get('/api/events?limit=1')).events[0].id)
  const deadline = Date.now() + 20_000
  while (Number((await t.get(`/api/destinations/${destination}`)).status.cursor) < newest) {
    if (Date.now() > deadline) throw new Error('the archive did not catch up')
    await new Promise((resolve) => setTimeout(resolve, 50))
  }

  const lines = archived(folder)
  const byId = new Map(lines.map((line) => [(JSON.parse(line) as { messageId: string }).messageId, line]))
  const rows = t.engine.context.destinations.recentEvents([source], 100)
  expect(rows.map((row) => row.message_id).sort()).toEqual(events.map((_, i) => `line-${i + 1}`))
  for (const row of rows) {
    const want = JSON.parse(JSON.stringify(toOutgoingEvent(row))) as Record<string, unknown>
    const line = byId.get(row.message_id)
    if (row.message_id === 'line-4') {
      // Its integrations object turns this destination off.
      expect(line).toBeUndefined()
      continue
    }
    expect(line, row.message_id).toBeDefined()
    const got = JSON.parse(line!) as Record<string, unknown>
    expect(got).toStrictEqual(want)
    expect(Object.keys(got)).toEqual(Object.keys(want))
    expect(got.writeKey).toBeUndefined()
  }
  expect(lines).toHaveLength(rows.length - 1)
  const attempts = (await t.get(`/api/destinations/${destination}/attempts?limit=10`)).attempts as { filtered: { reason: string }[] }[]
  expect(attempts.flatMap((a) => a.filtered.map((f) => f.reason))).toEqual(['integrations object turns this destination off'])
})
