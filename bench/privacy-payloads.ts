// Batch bodies full of personal data, for the privacy benchmark (bench/privacy.ts): browser events as
// analytics.js sends them, so PII detection at ingest does the work it does for a real website. Every event
// carries the browser context (ip, userAgent, page with its url, locale, library, timezone); 20 % are
// identifies with email, phone, name and address traits; 20 % are pages; the rest are commerce tracks, of
// which every fourth carries the buyer's email and an order reference shaped like a card number that fails
// the Luhn check (a look-alike the detector must read through, not flag).
// Same template scheme as bench/payloads.ts: pre-serialized bodies whose fixed-width slots (messageId,
// timestamp, sentAt) are overwritten per request, so every event has a unique id and the load stays cheap.

import { randomUUID } from 'node:crypto'
import type { BodyFactory } from './payloads'

export const PRIVACY_BATCH_SIZE = 100
/** Shares of the batch, by construction of `sampleEvent` below (n % 10). */
export const PRIVACY_MIX = { identify: 0.2, page: 0.2, track: 0.6, trackWithEmailAndCardLikeReference: 0.1 }

const TEMPLATES = 8
const ID_PREFIX = 'ajs-next-' // then <13-digit ms>-<uuid>
const ID_LENGTH = ID_PREFIX.length + 13 + 1 + 36
const ID_MARK = `@ID${'_'.repeat(ID_LENGTH - 3)}`
const TIME_MARK = `@TS${'_'.repeat(21)}`

interface Template {
  bytes: Buffer
  idSlots: number[]
  timeSlots: number[]
}

export function createPrivacyBodyFactory(writeKey: string): BodyFactory {
  const templates = Array.from({ length: TEMPLATES }, (_, b) =>
    compile({ batch: Array.from({ length: PRIVACY_BATCH_SIZE }, (_, i) => sampleEvent(b * PRIVACY_BATCH_SIZE + i)), writeKey, sentAt: TIME_MARK })
  )
  let turn = 0
  return { eventsPerRequest: PRIVACY_BATCH_SIZE, next: () => fill(templates[turn++ % templates.length]!) }
}

/** The events of every template, as objects (for checks outside the load: what a batch should yield). */
export function privacySampleEvents(): Record<string, unknown>[] {
  return Array.from({ length: TEMPLATES * PRIVACY_BATCH_SIZE }, (_, n) => sampleEvent(n))
}

function fill(template: Template): Buffer {
  const now = Date.now()
  const prefix = `${ID_PREFIX}${now}-`
  const time = new Date(now).toISOString()
  const body = Buffer.from(template.bytes)
  for (const slot of template.idSlots) {
    body.write(prefix, slot, 'latin1')
    body.write(randomUUID(), slot + prefix.length, 36, 'latin1')
  }
  for (const slot of template.timeSlots) body.write(time, slot, 'latin1')
  return body
}

function compile(body: unknown): Template {
  // Names with accents are in the bodies: the slots are found in the UTF-8 bytes, and only ASCII is written.
  const bytes = Buffer.from(JSON.stringify(body), 'utf8')
  return { bytes, idSlots: find(bytes, ID_MARK), timeSlots: find(bytes, TIME_MARK) }
}

function find(bytes: Buffer, mark: string): number[] {
  const slots: number[] = []
  for (let at = bytes.indexOf(mark); at !== -1; at = bytes.indexOf(mark, at + mark.length)) slots.push(at)
  return slots
}

const FIRST = ['Ada', 'Grace', 'Alan', 'Linus', 'Margaret', 'José', 'Chloé', 'Søren', 'Aiko', 'Priya', 'Kwame', 'Olga']
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Torvalds', 'Hamilton', 'García', 'Dubois', 'Kierkegaard', 'Tanaka', 'Patel', 'Mensah', 'Ivanova']
const STREETS = ['Market Street', 'Rue de Rivoli', 'Baker Street', 'Unter den Linden', 'Calle Mayor', 'Elm Avenue']
const CITIES = [
  { city: 'San Francisco', state: 'CA', postalCode: '94103', country: 'US', phone: (n: number) => `+1 415 555 ${String(1000 + (n % 9000))}` },
  { city: 'Paris', state: 'Île-de-France', postalCode: '75001', country: 'FR', phone: (n: number) => `+33 6 12 34 ${String(10 + (n % 90))} ${String(10 + ((n * 7) % 90))}` },
  { city: 'London', state: 'England', postalCode: 'NW1 6XE', country: 'GB', phone: (n: number) => `+44 20 7946 ${String(1000 + (n % 9000))}` },
  { city: 'Berlin', state: 'Berlin', postalCode: '10117', country: 'DE', phone: (n: number) => `+49 30 901820${String(n % 100).padStart(2, '0')}` }
]
const USER_AGENTS = [
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0'
]
const LOCALES = ['en-US', 'fr-FR', 'en-GB', 'de-DE']
const TIMEZONES = ['America/Los_Angeles', 'Europe/Paris', 'Europe/London', 'Europe/Berlin']
const PRODUCTS = [
  { product_id: '507f1f77bcf86cd799439011', sku: 'G-32', category: 'Games', name: 'Monopoly: 3rd Edition', brand: 'Hasbro', variant: '200 pieces', price: 18.99 },
  { product_id: '505bd76785ebb509fc183733', sku: 'F-32', category: 'Games', name: 'Uno Card Game', brand: 'Mattel', variant: 'classic', price: 3.49 },
  { product_id: '60d5ec49f1b2c72b8c8e4b1a', sku: 'B-11', category: 'Books', name: 'The Art of Computer Programming', brand: 'Addison-Wesley', variant: 'hardcover', price: 189.0 }
]

/** 16 digits in groups of 4 whose Luhn sum is off by one: a card number's shape, not a card number. */
function cardLikeReference(n: number): string {
  const high = String(((n + 1) * 2_654_435_761) % 10_000_000).padStart(7, '0')
  const low = String(((n + 7) * 40_503 * 97_531) % 100_000_000).padStart(8, '0')
  const digits = `4${high}${low}`.split('').map(Number)
  let sum = 0
  for (let i = 0; i < 16; i++) {
    let d = digits[15 - i]!
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2
    sum += d
  }
  // Make the sum ≡ 1 (mod 10) by fixing the check digit (the last one, not doubled).
  const last = digits[15]!
  digits[15] = (last - (sum % 10) + 1 + 10) % 10
  const s = digits.join('')
  return `${s.slice(0, 4)} ${s.slice(4, 8)} ${s.slice(8, 12)} ${s.slice(12)}`
}

function person(n: number) {
  const first = FIRST[n % FIRST.length]!
  const last = LAST[(n * 5) % LAST.length]!
  const place = CITIES[n % CITIES.length]!
  return { first, last, place, email: `${first.toLowerCase().normalize('NFD').replace(/[^a-z]/g, '')}.${last.toLowerCase().normalize('NFD').replace(/[^a-z]/g, '')}${n}@example.com` }
}

function browserContext(n: number, page: { path: string; title: string }): Record<string, unknown> {
  const place = CITIES[n % CITIES.length]!
  const search = n % 3 === 0 ? '?utm_source=newsletter&utm_medium=email&utm_campaign=spring_sale' : ''
  return {
    ip: n % 7 === 0 ? `2001:db8:${(n % 65_000).toString(16)}::${(n % 250).toString(16)}` : `203.0.113.${n % 250}`,
    library: { name: 'analytics.js', version: 'npm:next-1.70.0' },
    locale: LOCALES[n % LOCALES.length],
    page: { path: page.path, referrer: n % 2 ? 'https://www.google.com/' : '', search, title: page.title, url: `https://shop.example.com${page.path}${search}` },
    userAgent: USER_AGENTS[n % USER_AGENTS.length],
    userAgentData: { brands: [{ brand: 'Not_A Brand', version: '8' }, { brand: 'Chromium', version: '120' }], mobile: n % 4 === 2, platform: 'macOS' },
    timezone: TIMEZONES[n % TIMEZONES.length],
    ...(search ? { campaign: { name: 'spring_sale', source: 'newsletter', medium: 'email' } } : {}),
    ...(place.country === 'US' ? {} : { location: { country: place.country } })
  }
}

function sampleEvent(n: number): Record<string, unknown> {
  const product = PRODUCTS[n % PRODUCTS.length]!
  const page = { path: `/products/${product.sku.toLowerCase()}`, title: `${product.name} – Example Shop` }
  const common = {
    messageId: ID_MARK,
    timestamp: TIME_MARK,
    anonymousId: randomUUIDFor(n),
    userId: n % 3 === 0 ? null : `user_${(n * 7919) % 50_000}`,
    integrations: {},
    context: browserContext(n, page),
    _metadata: { bundled: ['Segment.io'], unbundled: [], bundledIds: [] }
  }
  const who = person(n)
  switch (n % 10) {
    case 0:
    case 5:
      return {
        ...common,
        type: 'identify',
        userId: `user_${(n * 7919) % 50_000}`,
        traits: {
          email: who.email,
          phone: who.place.phone(n),
          firstName: who.first,
          lastName: who.last,
          name: `${who.first} ${who.last}`,
          address: { street: `${1 + (n % 300)} ${STREETS[n % STREETS.length]}`, city: who.place.city, state: who.place.state, postalCode: who.place.postalCode, country: who.place.country },
          plan: n % 2 ? 'pro' : 'free',
          createdAt: '2024-03-14T09:26:53.000Z',
          logins: 1 + (n % 40)
        }
      }
    case 1:
    case 6:
      return { ...common, type: 'page', name: product.name, properties: { path: page.path, referrer: 'https://www.google.com/', search: '', title: page.title, url: `https://shop.example.com${page.path}` } }
    case 2:
      return {
        ...common,
        type: 'track',
        event: 'Order Completed',
        properties: {
          order_id: `50314b8e9bcf000000${String(n).padStart(6, '0')}`,
          // Printed on the receipt; shaped like a card number, but fails Luhn.
          order_reference: cardLikeReference(n),
          email: who.email,
          affiliation: 'Google Store',
          total: 27.5,
          subtotal: 22.5,
          revenue: 25.0,
          shipping: 3,
          tax: 2,
          discount: 2.5,
          coupon: 'hasbros',
          currency: 'USD',
          products: [
            { ...product, quantity: 1, position: 1, url: `https://shop.example.com${page.path}`, image_url: `https://cdn.example.com/img/${product.sku}.jpg` },
            { ...PRODUCTS[(n + 1) % PRODUCTS.length]!, quantity: 2, position: 2 }
          ]
        }
      }
    case 3:
    case 8:
      return {
        ...common,
        type: 'track',
        event: 'Product Viewed',
        properties: { ...product, currency: 'USD', position: n % 10, url: `https://shop.example.com${page.path}`, image_url: `https://cdn.example.com/img/${product.sku}.jpg` }
      }
    case 4:
    case 9:
      return {
        ...common,
        type: 'track',
        event: 'Product Added',
        properties: { cart_id: `d92jd29jd92jd29j92d92jd${n % 1000}`, ...product, quantity: 1 + (n % 3), coupon: 'MAYDEALS', position: 3 }
      }
    default:
      return {
        ...common,
        type: 'track',
        event: 'Checkout Step Viewed',
        properties: { checkout_id: `50314b8e9bcf000000000000`, step: 2, shipping_method: 'Fedex', payment_method: 'Visa' }
      }
  }
}

/** A stable UUID-shaped anonymousId per event slot (analytics.js keeps one per browser). */
function randomUUIDFor(n: number): string {
  const hex = ((n + 1) * 2_654_435_761 >>> 0).toString(16).padStart(8, '0')
  return `${hex}-${hex.slice(0, 4)}-4${hex.slice(1, 4)}-a${hex.slice(4, 7)}-${hex}${hex.slice(0, 4)}`
}
