// The admin surface's defences, tried the way an attacker would: over real HTTP with raw headers.

import { request } from 'node:http'
import { connect } from 'node:net'
import { mkdtempSync, rmSync } from 'node:fs'
import { networkInterfaces, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readJson, startTestEngine, type TestEngine } from '../../test-engine'
import { sessionValue } from '../../token'

let t: TestEngine

beforeAll(async () => {
  t = await startTestEngine({ allowedHost: ['loupe.internal'] })
})
afterAll(async () => {
  await t.stop()
})

interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** A raw request, so Host, Origin and Cookie are exactly what a browser or attacker would send. */
function raw(method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: t.address.port, method, path, headers: { host: `127.0.0.1:${t.address.port}`, ...headers } }, (res) => {
      let data = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (data += chunk))
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: data }))
    })
    req.on('error', reject)
    if (body !== undefined) req.write(body)
    req.end()
  })
}

const bearer = (): Record<string, string> => ({ authorization: `Bearer ${t.token}` })

describe('admin surface security', () => {
  it('accepts the token', async () => {
    expect((await raw('GET', '/api/sources', bearer())).status).toBe(200)
  })

  it('refuses a request without a token', async () => {
    const answer = await raw('GET', '/api/events', {})
    expect(answer.status).toBe(401)
    expect(JSON.parse(answer.body).error.code).toBe('ERR_ADMIN_UNAUTHORIZED')
  })

  it('refuses a wrong token, including one of a different length', async () => {
    expect((await raw('GET', '/api/events', { authorization: `Bearer ${t.token.slice(0, -1)}x` })).status).toBe(401)
    expect((await raw('GET', '/api/events', { authorization: 'Bearer short' })).status).toBe(401)
    expect((await raw('GET', '/api/events', { authorization: `Basic ${Buffer.from(`${t.token}:`).toString('base64')}` })).status).toBe(401)
  })

  it('refuses a foreign Host even with the token (DNS rebinding)', async () => {
    const answer = await raw('GET', '/api/events', { ...bearer(), host: `attacker.example:${t.address.port}` })
    expect(answer.status).toBe(403)
    expect(JSON.parse(answer.body).error.code).toBe('ERR_ADMIN_FORBIDDEN_HOST')
  })

  it('accepts loopback names and hosts added with --allowed-host', async () => {
    for (const host of [`localhost:${t.address.port}`, `[::1]:${t.address.port}`, 'loupe.internal']) {
      expect((await raw('GET', '/api/sources', { ...bearer(), host })).status).toBe(200)
    }
  })

  it('refuses a foreign Origin even with the token', async () => {
    const answer = await raw('GET', '/api/events', { ...bearer(), origin: 'https://evil.example' })
    expect(answer.status).toBe(403)
    expect(JSON.parse(answer.body).error.code).toBe('ERR_ADMIN_FORBIDDEN_ORIGIN')
    expect((await raw('GET', '/api/events', { ...bearer(), origin: 'null' })).status).toBe(403)
    expect((await raw('GET', '/api/events', { ...bearer(), origin: `http://127.0.0.1:${t.address.port + 1}` })).status).toBe(403)
  })

  it('accepts its own origin', async () => {
    expect((await raw('GET', '/api/events', { ...bearer(), origin: `http://127.0.0.1:${t.address.port}` })).status).toBe(200)
  })

  it('refuses a text/plain write even with the token (no "simple" cross-site requests)', async () => {
    const answer = await raw('POST', '/api/sources', { ...bearer(), 'content-type': 'text/plain' }, JSON.stringify({ name: 'Sneaky' }))
    expect(answer.status).toBe(415)
    expect(JSON.parse(answer.body).error.code).toBe('ERR_ADMIN_JSON_REQUIRED')
    const form = await raw('POST', '/api/sources', { ...bearer(), 'content-type': 'application/x-www-form-urlencoded' }, 'name=Sneaky')
    expect(form.status).toBe(415)
    const sources = JSON.parse((await raw('GET', '/api/sources', bearer())).body)
    expect(sources.sources.some((s: { name: string }) => s.name === 'Sneaky')).toBe(false)
  })

  it('answers no CORS: preflights are refused and no Allow-Origin is ever sent', async () => {
    const preflight = await raw('OPTIONS', '/api/sources', { origin: 'https://evil.example', 'access-control-request-method': 'POST' })
    expect(preflight.status).toBe(403)
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined()
    const sameOriginPreflight = await raw('OPTIONS', '/api/sources', { 'access-control-request-method': 'DELETE' })
    expect(sameOriginPreflight.status).toBe(403)
    const ok = await raw('GET', '/api/sources', bearer())
    expect(ok.headers['access-control-allow-origin']).toBeUndefined()
  })

  it('trades the token for an HttpOnly SameSite=Strict cookie at /login and redirects', async () => {
    const login = await raw('GET', `/login?token=${t.token}`, {})
    expect(login.status).toBe(303)
    expect(login.headers.location).toBe('/')
    const cookie = String(login.headers['set-cookie'])
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Strict/)
    expect(cookie).not.toContain(t.token)
    expect(cookie).not.toMatch(/Max-Age|Expires/) // a browser-session cookie
    const session = cookie.split(';')[0]!
    expect((await raw('GET', '/api/sources', { cookie: session })).status).toBe(200)
    expect((await raw('GET', '/api/sources', { cookie: `loupe_session=${sessionValue(t.token, 'another-boot')}` })).status).toBe(401)
  })

  it('ends sessions when the engine restarts; the same login URL makes a new one', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'loupe-session-'))
    try {
      const first = await startTestEngine({ dataDir })
      const login = async (engine: typeof first) => {
        const res = await fetch(engine.address.loginUrl, { redirect: 'manual' })
        return String(res.headers.get('set-cookie')).split(';')[0]!
      }
      const cookie = await login(first)
      expect((await fetch(`${first.baseUrl}/api/session`, { headers: { cookie } }).then(readJson)).authenticated).toBe(true)
      await first.stop({ keepData: true })
      const second = await startTestEngine({ dataDir })
      expect((await fetch(`${second.baseUrl}/api/session`, { headers: { cookie } }).then(readJson)).authenticated).toBe(false)
      const again = await login(second)
      expect((await fetch(`${second.baseUrl}/api/session`, { headers: { cookie: again } }).then(readJson)).authenticated).toBe(true)
      await second.stop()
    } finally {
      rmSync(dataDir, { recursive: true, force: true })
    }
  })

  it('refuses /login with a wrong token or a foreign Host', async () => {
    expect((await raw('GET', '/login?token=wrong', {})).status).toBe(401)
    expect((await raw('GET', `/login?token=${t.token}`, { host: 'attacker.example' })).status).toBe(403)
  })

  it('keeps the tracking surface open to any origin', async () => {
    const answer = await raw('POST', '/v1/t', { origin: 'https://any.example', 'content-type': 'text/plain' }, JSON.stringify({ writeKey: 'wk_x', userId: 'u', event: 'E' }))
    expect(answer.status).toBe(200)
    expect(answer.headers['access-control-allow-origin']).toBe('*')
  })

  it('listens on loopback only by default', async () => {
    expect(t.address.host).toBe('127.0.0.1')
    const external = Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal)
    if (!external) return // a machine with loopback only has nothing else to reach
    const reached = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: external.address, port: t.address.port })
      socket.on('connect', () => (socket.destroy(), resolve(true)))
      socket.on('error', () => resolve(false))
    })
    expect(reached).toBe(false)
  })
})

describe('session check and login redirect', () => {
  it('GET /api/session says whether the caller has a session, without a 401 and without data', async () => {
    const anonymous = await raw('GET', '/api/session', {})
    expect(anonymous.status).toBe(200)
    expect(JSON.parse(anonymous.body)).toEqual({ authenticated: false })
    const login = await raw('GET', `/login?token=${t.token}`, {})
    const withCookie = await raw('GET', '/api/session', { cookie: String(login.headers['set-cookie']).split(';')[0]! })
    expect(JSON.parse(withCookie.body)).toEqual({ authenticated: true })
    expect((await raw('GET', '/api/session', { host: 'attacker.example' })).status).toBe(403)
    expect((await raw('GET', '/api/session', { origin: 'https://evil.example' })).status).toBe(403)
  })

  it('/login keeps a same-origin `next` path and refuses anything that could leave Loupe', async () => {
    const go = async (next: string) => (await raw('GET', `/login?token=${t.token}&next=${encodeURIComponent(next)}`, {})).headers.location
    expect(await go('/events?type=track&q=a%20b')).toBe('/events?type=track&q=a%20b')
    for (const evil of ['//evil.example/x', 'https://evil.example', '/\\evil.example', 'javascript:alert(1)', 'events', '/ space']) {
      expect(await go(evil)).toBe('/')
    }
  })
})
