// Quick measure of PII detection alone: 100,000 typical analytics.js / analytics-node events (page and
// track calls with full browser context, server-side tracks, identifies with email/phone/name traits), on
// one core. Run: npx tsx src-main/engine/privacy/bench-detect.ts

import { compileDetector } from './detect'

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

const messages = Array.from({ length: MESSAGES }, (_, i) => makeMessage(i))
const detector = compileDetector({ custom: [] })

// One warm-up pass (JIT, key cache), then five measured ones in CPU time of this process (the machine is
// shared: wall time would count other work); the best and the median pass are printed.
for (const m of messages) detector.detect(m)
let findings = 0
const times: number[] = []
for (let pass = 0; pass < 5; pass++) {
  findings = 0
  const started = process.cpuUsage()
  for (const m of messages) findings += detector.detect(m).length
  const used = process.cpuUsage(started)
  times.push((used.user + used.system) / 1000)
}
times.sort((a, b) => a - b)

const bytes = messages.reduce((n, m) => n + JSON.stringify(m).length, 0)
const rate = (ms: number): string => Math.round(MESSAGES / (ms / 1000)).toLocaleString('en-US')
console.log(
  `${MESSAGES.toLocaleString('en-US')} events (avg ${Math.round(bytes / MESSAGES)} B, ${findings.toLocaleString('en-US')} findings): ` +
    `best ${rate(times[0]!)} events/s (${((times[0]! * 1000) / MESSAGES).toFixed(2)} µs/event), median ${rate(times[2]!)} events/s`
)
