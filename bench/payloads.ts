// Request bodies shaped like @segment/analytics-node 3.x sends them, each event with a unique messageId
// (`node-next-<Date.now()>-<uuid>`, as the real client makes them; the engine deduplicates repeated ids, so
// reused ids would under-count). Bodies come from pre-serialized templates whose fixed-width slots
// (messageId, timestamp, sentAt) are overwritten per request, so the load generator stays cheap.

import { randomUUID } from 'node:crypto'

export type BodyKind = 'single' | 'batch'

export const BATCH_SIZE = 100
const LIBRARY = { name: '@segment/analytics-node', version: '3.1.0' }
const METADATA = { nodeVersion: 'v20.20.2', jsRuntime: 'node' }

// Markers as long as what replaces them: a messageId is 60 characters, an ISO timestamp 24.
const ID_MARK = `@ID${'_'.repeat(57)}`
const TIME_MARK = `@TS${'_'.repeat(21)}`
const ID_PREFIX_LENGTH = 'node-next-'.length + 13 + 1
const UUID_LENGTH = 36

export interface BodyFactory {
  eventsPerRequest: number
  /** A new body with fresh messageIds and timestamps. */
  next(): Buffer
}

interface Template {
  bytes: Buffer
  idSlots: number[]
  timeSlots: number[]
}

export function createBodyFactory(kind: BodyKind, writeKey: string): BodyFactory {
  const templates = kind === 'single' ? singleTemplates() : batchTemplates(writeKey)
  let turn = 0
  return {
    eventsPerRequest: kind === 'single' ? 1 : BATCH_SIZE,
    next() {
      const template = templates[turn++ % templates.length]!
      return fill(template)
    }
  }
}

function fill(template: Template): Buffer {
  const now = Date.now()
  const prefix = `node-next-${now}-`
  if (prefix.length !== ID_PREFIX_LENGTH) throw new Error(`unexpected messageId prefix ${prefix}`)
  const time = new Date(now).toISOString()
  const body = Buffer.from(template.bytes)
  for (const slot of template.idSlots) {
    body.write(prefix, slot, 'latin1')
    body.write(randomUUID(), slot + ID_PREFIX_LENGTH, UUID_LENGTH, 'latin1')
  }
  for (const slot of template.timeSlots) body.write(time, slot, 'latin1')
  return body
}

function singleTemplates(): Template[] {
  return Array.from({ length: 64 }, (_, i) => compile(sampleEvent(i)))
}

function batchTemplates(writeKey: string): Template[] {
  return Array.from({ length: 8 }, (_, b) =>
    compile({
      batch: Array.from({ length: BATCH_SIZE }, (_, i) => sampleEvent(b * BATCH_SIZE + i)),
      writeKey,
      sentAt: TIME_MARK
    })
  )
}

/** Serializes a body and records where its markers sit. */
function compile(body: unknown): Template {
  const bytes = Buffer.from(JSON.stringify(body), 'latin1')
  return { bytes, idSlots: find(bytes, ID_MARK), timeSlots: find(bytes, TIME_MARK) }
}

function find(bytes: Buffer, mark: string): number[] {
  const slots: number[] = []
  for (let at = bytes.indexOf(mark); at !== -1; at = bytes.indexOf(mark, at + mark.length)) slots.push(at)
  return slots
}

const PRODUCTS = [
  { product_id: 'sku-1042', sku: 'TSHIRT-BLK-M', name: 'Classic T-Shirt', category: 'Apparel', price: 24.0, quantity: 2 },
  { product_id: 'sku-2210', sku: 'MUG-WHT', name: 'Enamel Mug', category: 'Kitchen', price: 14.5, quantity: 1 },
  { product_id: 'sku-3307', sku: 'BAG-CNV-L', name: 'Canvas Tote', category: 'Accessories', price: 32.0, quantity: 1 }
]

/** A track call as a backend sends it: order, product, signup and feature events for many users. */
function sampleEvent(n: number): Record<string, unknown> {
  const common = {
    timestamp: TIME_MARK,
    integrations: {},
    type: 'track',
    context: { library: LIBRARY },
    userId: `user_${(n * 7919) % 50_000}`,
    messageId: ID_MARK,
    _metadata: METADATA
  }
  const product = PRODUCTS[n % PRODUCTS.length]!
  switch (n % 4) {
    case 0:
      return {
        ...common,
        event: 'Order Completed',
        properties: {
          order_id: `ord_${100_000 + n}`,
          total: 94.5,
          revenue: 80.0,
          shipping: 7.5,
          tax: 7.0,
          currency: 'USD',
          coupon: n % 3 === 0 ? 'WINTER10' : null,
          products: PRODUCTS.slice(0, 1 + (n % PRODUCTS.length))
        }
      }
    case 1:
      return { ...common, event: 'Product Viewed', properties: { ...product, url: `https://shop.example.com/p/${product.product_id}`, currency: 'USD' } }
    case 2:
      return { ...common, event: 'Signed Up', properties: { plan: n % 2 ? 'pro' : 'free', method: 'email', referrer: 'newsletter', trial_days: 14 } }
    default:
      return {
        ...common,
        event: 'Feature Used',
        properties: { feature: 'export_csv', workspace_id: `ws_${n % 500}`, rows: 1200 + n, duration_ms: 347, success: true }
      }
  }
}
