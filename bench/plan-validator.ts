// Quick measure of the validator alone: a 200-event plan, 100,000 messages (mostly clean, some with
// violations), on one core. Run: npx tsx bench/plan-validator.ts

import type { PlanRule } from '../src-shared/plans'
import { compilePlan } from '../src-main/engine/protocols/validator'

const EVENTS = 200
const MESSAGES = 100_000

const rules: PlanRule[] = [
  { type: 'COMMON', jsonSchema: { type: 'object', properties: { context: { type: 'object', properties: { locale: { type: 'string' } } } } } },
  ...Array.from({ length: EVENTS }, (_, i): PlanRule => ({
    type: 'TRACK',
    key: `Event ${i}`,
    jsonSchema: {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      properties: {
        properties: {
          type: 'object',
          properties: {
            id: { type: 'string', pattern: '^id_' },
            amount: { type: 'number', minimum: 0 },
            currency: { enum: ['EUR', 'USD', 'GBP'] },
            email: { type: 'string', format: 'email' },
            count: { type: 'integer' },
            tags: { type: 'array', items: { type: 'string' } }
          },
          required: ['id', 'amount']
        }
      },
      required: ['properties']
    }
  }))
]

let started = performance.now()
const plan = compilePlan(rules)
const compileMs = performance.now() - started

const messages = Array.from({ length: 1000 }, (_, i) => ({
  type: 'track',
  event: i % 50 === 49 ? `Unknown ${i}` : `Event ${i % EVENTS}`,
  userId: `u${i}`,
  properties: i % 10 === 9 ? { id: 'x', amount: '3', extra: true } : { id: `id_${i}`, amount: i, currency: 'EUR', email: 'a@b.co', count: 3, tags: ['a'] },
  context: { locale: 'en-US', library: { name: 'analytics.js' } }
}))

let violations = 0
started = performance.now()
for (let i = 0; i < MESSAGES; i++) violations += plan.validate(messages[i % messages.length]!).length
const seconds = (performance.now() - started) / 1000
console.log(`compiled ${rules.length} rules in ${compileMs.toFixed(0)} ms`)
console.log(`${MESSAGES} validations in ${seconds.toFixed(2)} s: ${Math.round(MESSAGES / seconds).toLocaleString('en')} events/s (${violations} violations)`)
