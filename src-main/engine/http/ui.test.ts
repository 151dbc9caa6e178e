import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestEngine, type TestEngine } from '../test-engine'
import { useTempDirs } from '../test-temp-dirs'

const tempDir = useTempDirs('loupe-ui-')
let t: TestEngine
let renderer: string

function build(version: string): void {
  mkdirSync(join(renderer, 'assets'), { recursive: true })
  writeFileSync(join(renderer, 'assets', `index-${version}.js`), `console.log(${JSON.stringify(version)})`)
  writeFileSync(join(renderer, 'index.html'), `<!doctype html><script type="module" src="./assets/index-${version}.js"></script>`)
}

beforeAll(async () => {
  renderer = join(tempDir(), 'renderer')
  build('v1')
  t = await startTestEngine({}, (config) => (config.rendererDir = renderer))
})
afterAll(async () => {
  await t.stop()
})

const page = (path: string) => fetch(`${t.baseUrl}${path}`, { headers: { accept: 'text/html' } })

describe('the UI files', () => {
  it('serves index.html at every page path, with absolute asset links and a strict CSP', async () => {
    for (const path of ['/', '/live', '/live/', '/events?type=track', '/sources/1']) {
      const res = await page(path)
      expect(res.status, path).toBe(200)
      expect(await res.text()).toContain('src="/assets/index-v1.js"')
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'")
      expect(res.headers.get('x-frame-options')).toBe('DENY')
    }
    expect((await fetch(`${t.baseUrl}/assets/index-v1.js`)).status).toBe(200)
  })

  it('keeps API and tracking paths out of the page fallback', async () => {
    for (const path of ['/api/nothing', '/v1/nothing', '/assets/missing.js']) {
      const res = await page(path)
      expect(res.headers.get('content-type'), path).not.toMatch(/html/)
    }
  })

  it('follows a rebuild while running: the new index.html and its new assets', async () => {
    build('v2')
    const html = await (await page('/events')).text()
    expect(html).toContain('/assets/index-v2.js')
    expect(await (await fetch(`${t.baseUrl}/assets/index-v2.js`)).text()).toContain('v2')
  })

  it('refuses a foreign Host for the page too', async () => {
    const { request } = await import('node:http')
    const status = await new Promise<number>((resolve) => {
      request({ host: '127.0.0.1', port: t.address.port, path: '/', headers: { host: 'evil.example', accept: 'text/html' } }, (res) => resolve(res.statusCode!)).end()
    })
    expect(status).toBe(403)
  })
})
