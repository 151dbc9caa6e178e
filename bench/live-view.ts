// The Live view under a steady stream: 2,000 events/s for 30 s into `loupe serve`, with the UI open in
// headless Chromium. Measures what a user would feel (frames painted, the longest gap between two frames,
// long tasks) and what the tab costs (JS heap, DOM nodes), every 5 s and over the whole run.

import { chromium, type Browser, type Page } from 'playwright-core'
import { writeSection } from './results-md'
import { startEngine } from './targets'

const RATE = 2000
const SECONDS = 30
const BATCH = 200 // every 100 ms
const WINDOW_SECONDS = 5

export const LIVE_START = '<!-- live-view:start (written by `npm run bench`) -->'
export const LIVE_END = '<!-- live-view:end -->'

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

// Runs in the page; a string, because bench/ is type-checked without DOM types.
const INSTALL_MONITOR = `(() => {
  const perf = { frames: 0, maxGap: 0, longTasks: 0, longTaskMs: 0 };
  window.__perf = perf;
  let last = performance.now();
  const loop = (now) => { perf.maxGap = Math.max(perf.maxGap, now - last); last = now; perf.frames++; requestAnimationFrame(loop); };
  requestAnimationFrame(loop);
  new PerformanceObserver((list) => { for (const e of list.getEntries()) { perf.longTasks++; perf.longTaskMs += e.duration; } }).observe({ type: 'longtask' });
})()`
const READ_MONITOR = `(() => { const p = window.__perf; const out = { ...p }; p.frames = 0; p.maxGap = 0; p.longTasks = 0; p.longTaskMs = 0; return out; })()`

interface Window {
  second: number
  frames: number
  maxGap: number
  longTasks: number
  longTaskMs: number
  heapMb: number
  domNodes: number
}

async function metrics(page: Page): Promise<{ heapMb: number; domNodes: number }> {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Performance.enable')
  const { metrics: list } = await cdp.send('Performance.getMetrics')
  const get = (name: string) => list.find((m) => m.name === name)?.value ?? 0
  await cdp.detach()
  return { heapMb: get('JSHeapUsedSize') / 1024 ** 2, domNodes: get('Nodes') }
}

export async function runLiveView(root: string, file: string): Promise<void> {
  process.stdout.write(`\n▸ Live view: ${RATE.toLocaleString('en-US')} events/s for ${SECONDS} s into the UI in headless Chromium …\n`)
  const engine = await startEngine(root)
  let browser: Browser | null = null
  try {
    browser = await chromium.launch({ executablePath: process.env.LOUPE_E2E_CHROMIUM ?? '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS })
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    const errors: string[] = []
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
    await page.goto(`${engine.baseUrl}/login?token=${engine.token}&next=/live`)
    await page.getByTestId('live-status').and(page.locator('[data-status="open"]')).waitFor({ timeout: 20_000 })
    await page.evaluate(INSTALL_MONITOR)

    const windows: Window[] = []
    const auth = `Basic ${Buffer.from('wk_live_bench:').toString('base64')}`
    const started = Date.now()
    let sent = 0
    for (let tick = 0; tick < SECONDS * 10; tick++) {
      const batch = Array.from({ length: BATCH }, (_, i) => ({
        type: 'track', event: `Event ${(sent + i) % 40}`, userId: `user-${(sent + i) % 997}`, messageId: `live-bench-${sent + i}`,
        properties: { n: sent + i, price: 9.99, sku: `SKU-${(sent + i) % 500}` }
      }))
      const res = await fetch(`${engine.baseUrl}/v1/batch`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify({ batch }) })
      if (res.status !== 200) throw new Error(`live-view: /v1/batch answered ${res.status}`)
      sent += BATCH
      if ((tick + 1) % (WINDOW_SECONDS * 10) === 0) {
        const perf = (await page.evaluate(READ_MONITOR)) as Omit<Window, 'second' | 'heapMb' | 'domNodes'>
        windows.push({ second: (tick + 1) / 10, ...perf, ...(await metrics(page)) })
      }
      const wait = started + (tick + 1) * 100 - Date.now()
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
    }
    const seconds = (Date.now() - started) / 1000
    const shown = await page.getByTestId('live-count').innerText()

    const frames = windows.reduce((n, w) => n + w.frames, 0)
    const fps = frames / seconds
    const worstGap = Math.max(...windows.map((w) => w.maxGap))
    const longTasks = windows.reduce((n, w) => n + w.longTasks, 0)
    const longTaskMs = windows.reduce((n, w) => n + w.longTaskMs, 0)
    const heapMax = Math.max(...windows.map((w) => w.heapMb))
    const lines = [
      `## Live view at ${RATE.toLocaleString('en-US')} events/s — ${new Date().toISOString().replace('T', ' ').slice(0, 19)} UTC`,
      '',
      `${sent.toLocaleString('en-US')} events sent in ${seconds.toFixed(1)} s (${Math.round(sent / seconds).toLocaleString('en-US')} events/s, batches of ${BATCH} every 100 ms) ` +
        `to \`loupe serve\`, with /live open in headless Chromium (1440×900) on the same 2 cores. Frames counted with requestAnimationFrame, ` +
        `long tasks with PerformanceObserver, heap and DOM nodes from the Chrome DevTools Protocol. The list showed "${shown}" at the end.`,
      '',
      '| Seconds | Frames | fps | Longest frame gap | Long tasks (total ms) | JS heap | DOM nodes |',
      '|---|---:|---:|---:|---:|---:|---:|',
      ...windows.map((w) => `| ${w.second - WINDOW_SECONDS}–${w.second} | ${w.frames} | ${(w.frames / WINDOW_SECONDS).toFixed(0)} | ${w.maxGap.toFixed(0)} ms | ${w.longTasks} (${w.longTaskMs.toFixed(0)}) | ${w.heapMb.toFixed(1)} MB | ${w.domNodes} |`),
      '',
      `Whole run: ${fps.toFixed(0)} fps on average, longest frame gap ${worstGap.toFixed(0)} ms, ${longTasks} long tasks (${longTaskMs.toFixed(0)} ms in all, ` +
        `${((100 * longTaskMs) / (seconds * 1000)).toFixed(1)} % of the time), JS heap at most ${heapMax.toFixed(1)} MB; console errors: ${errors.length}.`
    ]
    writeSection(file, LIVE_START, LIVE_END, lines.join('\n'))
    process.stdout.write(`  ${fps.toFixed(0)} fps, longest gap ${worstGap.toFixed(0)} ms, ${longTasks} long tasks, heap ≤ ${heapMax.toFixed(1)} MB\n`)
  } finally {
    await browser?.close()
    await engine.stop()
  }
}
