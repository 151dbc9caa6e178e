// Quick measure of PII detection alone, on one core: 100,000 typical analytics.js / analytics-node events
// (page and track calls with full browser context, server-side tracks, identifies with email/phone/name
// traits), then 100,000 of the ingest benchmark's own events. Run: npx tsx bench/privacy-detect.ts

import { compileDetector } from '../src-main/engine/privacy/detect'

const MESSAGES = 100_000

function browserContext(i: number): Record<string, unknown> {
  return {
    library: { name: 'analytics.js', version: 'npm:next-1.84.3' },
    page: {
      path: `/products/${i % 500}`,
      referrer: 'https://www.google.com/',
      search: '?utm_source=newsletter&utm_medium=email',
      title: `Product ${i % 500} – Example Shop`,
      url: `https://shop.example.com/products/${i % 500}?utm_source=newsletter&utm_medium=email`
    },
    userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
    userAgentData: { brands: [{ brand: 'Chromium', version: '120' }, { brand: 'Google Chrome', version: '120' }], mobile: false, platform: 'macOS' },
    locale: 'en-US',
    timezone: 'America/New_York',
    ip: `203.0.113.${i % 250}`,
    campaign: { name: 'spring_sale', source: 'newsletter', medium: 'email' }
  }
}

function serverContext(i: number): Record<string, unknown> {
  return { library: { name: 'analytics-node', version: '2.1.2' }, ip: `198.51.100.${i % 250}` }
}

function makeMessage(i: number): Record<string, unknown> {
  const base = { messageId: `ajs-next-${1_700_000_000_000 + i}-${i.toString(16)}`, anonymousId: `anon-${i % 9973}`, userId: `user-${i % 5000}`, timestamp: new Date(1_700_000_000_000 + i * 1000).toISOString() }
  switch (i % 10) {
    case 0:
      return {
        ...base,
        type: 'identify',
        traits: { email: `user${i}@example.com`, name: `User ${i}`, phone: '+1 415 555 0123', plan: 'pro', createdAt: '2023-05-01T10:00:00Z', logins: i % 40 },
        context: browserContext(i)
      }
    case 1:
    case 2:
      return { ...base, type: 'page', name: 'Product', properties: { path: `/products/${i % 500}`, url: `https://shop.example.com/products/${i % 500}`, title: 'Product', referrer: 'https://www.google.com/' }, context: browserContext(i) }
    case 3:
    case 4:
    case 5:
      return {
        ...base,
        type: 'track',
        event: 'Product Added',
        properties: {
          cart_id: `cart_${i}`,
          product_id: `507f1f77bcf86cd7994${(i % 100000).toString().padStart(5, '0')}`,
          sku: `G-${i % 97}`,
          category: 'Games',
          name: 'Monopoly: 3rd Edition',
          brand: 'Hasbro',
          variant: '200 pieces',
          price: 18.99,
          quantity: 1 + (i % 3),
          coupon: 'MAYDEALS',
          position: i % 10,
          url: `https://shop.example.com/product/${i % 500}`,
          image_url: `https://cdn.example.com/img/${i % 500}@2x.png`
        },
        context: browserContext(i)
      }
    case 6:
    case 7:
      return {
        ...base,
        type: 'track',
        event: 'Order Completed',
        properties: {
          order_id: `ORD-${100000 + i}`,
          checkout_id: `chk_${i.toString(36)}`,
          total: 27.5,
          revenue: 25,
          shipping: 3,
          tax: 2,
          discount: 2.5,
          currency: 'USD',
          products: [
            { product_id: `${4000000000000000 + i}`, sku: '45790-32', name: 'Monopoly: 3rd Edition', price: 19, quantity: 1, category: 'Games' },
            { product_id: `${4000000000000001 + i}`, sku: '46493-32', name: 'Uno Card Game', price: 3, quantity: 2, category: 'Games' }
          ]
        },
        context: serverContext(i)
      }
    default:
      return {
        ...base,
        type: 'track',
        event: 'Signed Up',
        properties: { plan: 'pro', trial: true, referrer_code: `REF${i % 1000}`, signup_method: 'email' },
        context: { ...serverContext(i), traits: { email: `user${i}@example.com`, first_name: 'Ada', last_name: 'Lovelace' } }
      }
  }
}

/** The ingest benchmark's events (bench/payloads.ts): analytics-node tracks with small contexts. */
function makeNodeMessage(n: number): Record<string, unknown> {
  const products = [
    { product_id: 'sku-1042', sku: 'TSHIRT-BLK-M', name: 'Classic T-Shirt', category: 'Apparel', price: 24.0, quantity: 2 },
    { product_id: 'sku-2210', sku: 'MUG-WHT', name: 'Enamel Mug', category: 'Kitchen', price: 14.5, quantity: 1 },
    { product_id: 'sku-3307', sku: 'BAG-CNV-L', name: 'Canvas Tote', category: 'Accessories', price: 32.0, quantity: 1 }
  ]
  const common = {
    timestamp: new Date(1_700_000_000_000 + n).toISOString(),
    integrations: {},
    type: 'track',
    context: { library: { name: '@segment/analytics-node', version: '3.1.0' } },
    userId: `user_${(n * 7919) % 50_000}`,
    messageId: `node-next-${1_700_000_000_000 + n}-5c7a0a5e-8e4e-4c5d-9e54-3a1b6a1c2d3e`,
    _metadata: { nodeVersion: 'v20.20.2', jsRuntime: 'node' }
  }
  const product = products[n % products.length]!
  switch (n % 4) {
    case 0:
      return { ...common, event: 'Order Completed', properties: { order_id: `ord_${100_000 + n}`, total: 94.5, revenue: 80.0, shipping: 7.5, tax: 7.0, currency: 'USD', coupon: n % 3 === 0 ? 'WINTER10' : null, products: products.slice(0, 1 + (n % products.length)) } }
    case 1:
      return { ...common, event: 'Product Viewed', properties: { ...product, url: `https://shop.example.com/p/${product.product_id}`, currency: 'USD' } }
    case 2:
      return { ...common, event: 'Signed Up', properties: { plan: n % 2 ? 'pro' : 'free', method: 'email', referrer: 'newsletter', trial_days: 14 } }
    default:
      return { ...common, event: 'Feature Used', properties: { feature: 'export_csv', workspace_id: `ws_${n % 500}`, rows: 1200 + n, duration_ms: 347, success: true } }
  }
}

const detector = compileDetector({ custom: [] })

// One warm-up pass (JIT, key cache), then five measured ones in CPU time of this process (the machine is
// shared: wall time would count other work); the best and the median pass are printed, next to what
// JSON.parse of the same events costs as a yardstick.
function cpuMs(run: () => void): number {
  const started = process.cpuUsage()
  run()
  const used = process.cpuUsage(started)
  return (used.user + used.system) / 1000
}

function measure(label: string, messages: Record<string, unknown>[]): void {
  for (const m of messages) detector.detect(m)
  let findings = 0
  const times: number[] = []
  for (let pass = 0; pass < 5; pass++) {
    findings = 0
    times.push(cpuMs(() => {
      for (const m of messages) findings += detector.detect(m).length
    }))
  }
  times.sort((a, b) => a - b)
  const bodies = messages.map((m) => JSON.stringify(m))
  const parse = Math.min(...[0, 1, 2].map(() => cpuMs(() => {
    for (const b of bodies) JSON.parse(b)
  })))
  const bytes = bodies.reduce((n, b) => n + b.length, 0)
  const rate = (ms: number): string => Math.round(messages.length / (ms / 1000)).toLocaleString('en-US')
  const us = (ms: number): string => ((ms * 1000) / messages.length).toFixed(2)
  console.log(
    `${label}: ${messages.length.toLocaleString('en-US')} events, avg ${Math.round(bytes / messages.length)} B, ${findings.toLocaleString('en-US')} findings\n` +
      `  detect: best ${rate(times[0]!)} events/s (${us(times[0]!)} µs/event), median ${rate(times[2]!)} events/s; ` +
      `JSON.parse of the same events: ${us(parse)} µs/event`
  )
}

measure('analytics.js + analytics-node mix', Array.from({ length: MESSAGES }, (_, i) => makeMessage(i)))
measure('bench/payloads.ts analytics-node tracks', Array.from({ length: MESSAGES }, (_, i) => makeNodeMessage(i)))
