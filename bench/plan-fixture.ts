// A 200-event tracking plan for the tracking-plans benchmark (bench/plans.ts). Its four real rules describe
// the bench bodies (bench/payloads.ts: Order Completed, Product Viewed, Signed Up, Feature Used) in detail, so
// every bench event is validated against a full schema; 196 filler rules make the plan the size.
// Violations come from the data, not from the plan missing an event: the bodies carry coupon WINTER10 on every
// 12th event (67 of the 800 template events, 8.4 %), and the plan only allows spring and summer coupons.

import type { PlanRule } from '../src-shared/plans'

export const PLAN_EVENTS = 200
/** The bench bodies' track event names, all planned. */
export const BENCH_EVENT_NAMES = ['Order Completed', 'Product Viewed', 'Signed Up', 'Feature Used']
/** Share of bench events the plan flags, over a whole cycle of the batch templates (bench/payloads.ts). */
export const EXPECTED_VIOLATION_SHARE = 67 / 800

const DRAFT_07 = 'http://json-schema.org/draft-07/schema#'

const track = (key: string, properties: Record<string, unknown>, required: string[]): PlanRule => ({
  type: 'TRACK',
  key,
  jsonSchema: { $schema: DRAFT_07, type: 'object', properties: { properties: { type: 'object', properties, required } }, required: ['properties'] }
})

const money = { type: 'number', minimum: 0 }
const product = {
  product_id: { type: 'string', pattern: '^sku-' },
  sku: { type: 'string', minLength: 1 },
  name: { type: 'string' },
  category: { enum: ['Apparel', 'Kitchen', 'Accessories', 'Home'] },
  price: money,
  quantity: { type: 'integer', minimum: 1 }
}

export function benchPlanRules(): PlanRule[] {
  const real = [
    track(
      'Order Completed',
      {
        order_id: { type: 'string', pattern: '^ord_' },
        total: money,
        revenue: money,
        shipping: money,
        tax: money,
        currency: { enum: ['USD', 'EUR', 'GBP'] },
        coupon: { type: ['string', 'null'], pattern: '^(SPRING|SUMMER)[0-9]+$' },
        products: { type: 'array', minItems: 1, items: { type: 'object', properties: product, required: ['product_id', 'price', 'quantity'] } }
      },
      ['order_id', 'total', 'currency', 'products']
    ),
    track('Product Viewed', { ...product, url: { type: 'string', format: 'uri' }, currency: { enum: ['USD', 'EUR', 'GBP'] } }, ['product_id', 'price']),
    track(
      'Signed Up',
      { plan: { enum: ['free', 'pro', 'enterprise'] }, method: { enum: ['email', 'google', 'github'] }, referrer: { type: 'string' }, trial_days: { type: 'integer', minimum: 0, maximum: 90 } },
      ['plan', 'method']
    ),
    track(
      'Feature Used',
      {
        feature: { type: 'string', minLength: 1 },
        workspace_id: { type: 'string', pattern: '^ws_' },
        rows: { type: 'integer', minimum: 0 },
        duration_ms: { type: 'integer', minimum: 0 },
        success: { type: 'boolean' }
      },
      ['feature', 'workspace_id']
    )
  ]
  const fillers = Array.from({ length: PLAN_EVENTS - real.length }, (_, i) =>
    track(
      `Planned Event ${i + 1}`,
      {
        id: { type: 'string', pattern: '^id_' },
        amount: money,
        currency: { enum: ['EUR', 'USD', 'GBP'] },
        email: { type: 'string', format: 'email' },
        count: { type: 'integer' },
        tags: { type: 'array', items: { type: 'string' } }
      },
      ['id', 'amount']
    )
  )
  const common: PlanRule = {
    type: 'COMMON',
    jsonSchema: {
      $schema: DRAFT_07,
      type: 'object',
      properties: {
        userId: { type: 'string', minLength: 1 },
        messageId: { type: 'string', minLength: 1 },
        context: { type: 'object', properties: { library: { type: 'object', properties: { name: { type: 'string' }, version: { type: 'string' } }, required: ['name'] } } }
      }
    }
  }
  return [common, ...real, ...fillers]
}
