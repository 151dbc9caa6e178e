// The driver on its own against real sockets: what no vendor answer, and a destination that cannot run
// locally, turn into for the router.

import { createServer as createHttpServer, type Server } from 'node:http'
import { createServer } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { validateActionsSettings } from '../../http/admin/actions-settings'
import { requestComplete } from './capture'
import { catalogue } from './catalogue'
import { actionsDriver } from './driver'

const env = (actionsRedirect: string | null) => ({ actionsRedirect, destinationId: 1, sourceName: () => null })

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** A loopback vendor: answers each request by `answer(path)`, recording path and body. */
async function vendor(answer: (path: string) => number = () => 200): Promise<{ origin: string; received: { path: string; raw: string }[]; server: Server }> {
  const received: { path: string; raw: string }[] = []
  const server = createHttpServer((req, res) => {
    let raw = ''
    req.setEncoding('utf8').on('data', (chunk: string) => (raw += chunk))
    req.on('end', () => {
      received.push({ path: req.url!, raw: decodeURIComponent(raw) })
      res.writeHead(answer(req.url!), { 'content-type': 'application/json' }).end('{"code":200}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  servers.push(server)
  return { origin: `http://127.0.0.1:${(server.address() as { port: number }).port}`, received, server }
}

const servers: Server[] = []
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
})

/** Amplitude with its track preset and an identify on every track: two requests per event, in that order. */
function amplitudeTwice(apiKey: string) {
  const amplitude = catalogue().find('amplitude')!
  const identify = amplitude.actions.find((a) => a.key === 'identifyUser')!
  return validateActionsSettings({
    slug: 'amplitude',
    settings: { apiKey, secretKey: 'secret-value' },
    subscriptions: [amplitude.presetSubscriptions[0], { name: 'Identify on track', subscribe: 'type = "track"', partnerAction: 'identifyUser', mapping: identify.defaultMapping }]
  })
}

const track = (userId: string, messageId: string) => ({ type: 'track', event: 'Viewed', userId, messageId, properties: { page: 'home' } })

describe('actionsDriver', () => {
  it('turns a refused connection into "no answer" (retried by the router)', async () => {
    const settings = validateActionsSettings({ slug: 'amplitude', settings: { apiKey: 'refused-key-1', secretKey: 's' } })
    const driver = actionsDriver('Amp', settings, env(`http://127.0.0.1:${await closedPort()}`))
    try {
      const result = await driver.send([{ type: 'track', event: 'E', userId: 'u', messageId: 'm1' }], new AbortController().signal, [1])
      expect(result).toMatchObject({ status: null, error: expect.stringMatching(/ECONNREFUSED/) })
      expect(result.requestSample).not.toContain('refused-key-1')
    } finally {
      await driver.close?.()
    }
  })

  it('answers the integrations object by Segment’s names for the destination', () => {
    const settings = validateActionsSettings({ slug: 'amplitude', settings: { apiKey: 'k', secretKey: 's' } })
    expect(actionsDriver('My Amp', settings, env(null)).integrationNames).toEqual(expect.arrayContaining(['Amplitude', 'Actions Amplitude', 'actions-amplitude', 'My Amp']))
  })

  it('refuses events for a destination that cannot run locally (saved before the catalogue said so)', async () => {
    const driver = actionsDriver('Hub', { slug: 'hubspot', settings: {}, subscriptions: [] }, env(null))
    const result = await driver.send([{ type: 'track', event: 'E' }], new AbortController().signal, [1])
    expect(result).toMatchObject({ status: 400, error: expect.stringMatching(/OAuth/) })
  })

  it('a send that succeeds meanwhile does not make a stopped send’s retry repeat what it delivered', async () => {
    let identifyAnswers = [503]
    const server = await vendor((path) => (path === '/identify' ? (identifyAnswers.shift() ?? 200) : 200))
    const driver = actionsDriver('Amp', amplitudeTwice('retry-key-01'), env(server.origin))
    const signal = new AbortController().signal
    const who = (r: { path: string; raw: string }) => `${r.path} ${/"user_id":"(\w+)"/.exec(r.raw)?.[1]}`
    try {
      // A: the track request goes out, the identify answers 503: the send stops for a retry.
      expect((await driver.send([track('ua', 'ma')], signal, [1])).status).toBe(503)
      // B, another batch, succeeds before A is retried (it used to reset the driver's memory).
      expect((await driver.send([track('ub', 'mb')], signal, [1])).status).toBe(200)
      identifyAnswers = []
      expect((await driver.send([track('ua', 'ma')], signal, [1])).status).toBe(200)
      expect(server.received.map(who)).toEqual(['/2/httpapi ua', '/identify ua', '/2/httpapi ub', '/identify ub', '/identify ua'])
      // Delivered: forgotten, so sending the same event again (a replay) sends it all again.
      await driver.send([track('ua', 'ma')], signal, [1])
      expect(server.received.slice(5).map(who)).toEqual(['/2/httpapi ua', '/identify ua'])
    } finally {
      await driver.close?.()
    }
  })

  it('describes the exact requests of a dry run by running the action code, without any network', async () => {
    const server = await vendor()
    for (const redirect of [server.origin, null]) {
      const driver = actionsDriver('Amp', amplitudeTwice('dry-run-key-4321'), env(redirect))
      try {
        const text = await driver.describe!([track('ud', 'md-1'), { type: 'alias', userId: 'ud', previousId: 'p', messageId: 'md-alias' }], [1, 1])
        expect(text).toMatch(/^POST https:\/\/api2\.amplitude\.com\/2\/httpapi\n\n\{/)
        expect(text).toContain('"event_type": "Viewed"')
        expect(text).toContain('"insert_id": "md-1"')
        expect(text).toContain('POST https://api2.amplitude.com/identify')
        expect(text).toContain('••••4321')
        expect(text).not.toContain('dry-run-key-4321')
        expect(text).toContain('No enabled subscription matches event 2 (md-alias): not sent.')
        expect(await driver.describe!([{ type: 'alias', userId: 'u', previousId: 'p' }], [1])).toMatch(/nothing would be sent: no enabled subscription/)
      } finally {
        await driver.close?.()
      }
    }
    expect(server.received).toEqual([])
  })

  it('a dry run says which events a mapping cannot fill', async () => {
    const driver = actionsDriver('Amp', amplitudeTwice('dry-run-key-0002'), env(null))
    const text = await driver.describe!([{ type: 'track', userId: 'u', messageId: 'no-name' }], [1])
    expect(text).toMatch(/event 1 \(no-name\) would be refused: Track Calls: .*event_type/)
  })

  it('a dry run does not run destinations that talk through their own clients, nor refused ones', async () => {
    const kafka = actionsDriver('Kafka', { slug: 'kafka', settings: { brokers: '127.0.0.1:1' }, subscriptions: [] }, env(null))
    expect(await kafka.describe!([{ type: 'track', event: 'E', messageId: 'k1' }], [1])).toMatch(/own client[\s\S]*"messageId": "k1"/)
    const hubspot = actionsDriver('Hub', { slug: 'hubspot', settings: {}, subscriptions: [] }, env(null))
    expect(await hubspot.describe!([{ type: 'track', event: 'E' }], [1])).toMatch(/nothing would be sent: .*OAuth/)
  })

  it('the dry run agent answers once a whole request is in (content-length or chunked)', () => {
    const head = (extra: string) => `POST /x HTTP/1.1\r\nHost: a\r\n${extra}\r\n`
    expect(requestComplete(Buffer.from(head('Content-Length: 4\r\n') + '{}'))).toBe(false)
    expect(requestComplete(Buffer.from(head('Content-Length: 4\r\n') + '{"a"'))).toBe(true)
    expect(requestComplete(Buffer.from('GET / HTTP/1.1\r\nHost: a\r\n\r\n'))).toBe(true)
    const chunked = head('Transfer-Encoding: chunked\r\n')
    expect(requestComplete(Buffer.from(`${chunked}3\r\n0\r\n\r\n`))).toBe(false)
    // Chunk data that looks like the last chunk is not taken for it.
    expect(requestComplete(Buffer.from(`${chunked}5\r\n0\r\n\r\n\r\n`))).toBe(false)
    expect(requestComplete(Buffer.from(`${chunked}5\r\n0\r\n\r\n\r\n0\r\n\r\n`))).toBe(true)
  })
})
