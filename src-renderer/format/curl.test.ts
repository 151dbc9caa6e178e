import { describe, expect, it } from 'vitest'
import { curlForEvent, firstEventCurl, replayPayload } from './curl'

describe('curlForEvent', () => {
  const payload = { type: 'track', event: "Bob's Order", userId: 'u1', messageId: 'm-1', writeKey: 'wk_body', properties: { n: 1 } } as const

  it('posts to /v1/<type> of this Loupe with the write key as Basic auth', () => {
    const curl = curlForEvent({ origin: 'http://127.0.0.1:7420', type: 'track', payload: { ...payload, properties: { n: 1 } }, writeKey: 'wk_live' })
    expect(curl.split('\n')).toEqual([
      `curl -u 'wk_live:' 'http://127.0.0.1:7420/v1/track' \\`,
      `  -H 'Content-Type: application/json' \\`,
      `  -d '{"type":"track","event":"Bob'\\''s Order","userId":"u1","properties":{"n":1}}'`
    ])
  })

  it('drops messageId (a replay would be deduplicated) and a body write key', () => {
    expect(replayPayload({ ...payload, properties: { n: 1 } })).toEqual({ type: 'track', event: "Bob's Order", userId: 'u1', properties: { n: 1 } })
  })
})

describe('firstEventCurl', () => {
  it('is a complete track call', () => {
    const curl = firstEventCurl('http://localhost:9999', 'my-app')
    expect(curl).toContain(`curl -u 'my-app:' 'http://localhost:9999/v1/track'`)
    const body = /-d '(.*)'$/.exec(curl)![1]!
    expect(JSON.parse(body)).toMatchObject({ userId: 'user-1', event: 'Hello Loupe' })
  })
})
