import { describe, expect, it } from 'vitest'
import { emptyRow, emptyRuleSchema, formatEnum, parseEnum, rowProblems, schemaWithTable, tableOf } from './rule-table'

const segmentRule = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  labels: { team: 'growth' },
  properties: {
    context: { type: 'object', properties: { app: { type: 'object' } } },
    properties: {
      type: 'object',
      additionalProperties: false,
      properties: {
        total: { type: 'number', description: 'Order total' },
        currency: { type: 'string', enum: ['EUR', 'USD'] },
        order_id: { type: 'string', pattern: '^ord_' },
        coupon: { type: ['string', 'null'] },
        items: { type: 'array', items: { type: 'object' } },
        anything: {},
        plan: { type: 'string', examples: ['pro'], title: 'Plan' }
      },
      required: ['order_id', 'total', 'legacy_id']
    }
  },
  required: ['properties']
}

describe('rule table', () => {
  it('round-trips a schema unchanged', () => {
    const table = tableOf(segmentRule, 'properties')!
    expect(schemaWithTable(segmentRule, table)).toEqual(segmentRule)
    // Required order is kept as written, not re-sorted by row order.
    expect((schemaWithTable(segmentRule, table).properties as any).properties.required).toEqual(['order_id', 'total', 'legacy_id'])
  })

  it('reads simple properties into rows and keeps the rest as advanced', () => {
    const table = tableOf(segmentRule, 'properties')!
    expect(table.rows.map((r) => [r.name, r.type, r.required, r.advanced !== null])).toEqual([
      ['total', 'number', true, false],
      ['currency', 'string', false, false],
      ['order_id', 'string', true, false],
      ['coupon', 'string', false, true],
      ['items', 'string', false, true],
      ['anything', 'any', false, false],
      ['plan', 'string', false, false]
    ])
    expect(table.rows[6]!.annotations).toEqual({ examples: ['pro'], title: 'Plan' })
    expect(table.rows[1]!.enum).toEqual(['EUR', 'USD'])
    expect(table.rows[2]!.pattern).toBe('^ord_')
    expect(table.rows[0]!.description).toBe('Order total')
    expect(table.extraRequired).toEqual(['legacy_id'])
  })

  it('writes edits back, leaving advanced rows and other keys untouched', () => {
    const table = tableOf(segmentRule, 'properties')!
    table.rows[0] = { ...table.rows[0]!, type: 'integer', required: false }
    table.rows[3] = { ...table.rows[3]!, required: true }
    table.rows.push({ ...emptyRow(), name: 'source', enum: ['web', 'ios'], required: true })
    const out = schemaWithTable(segmentRule, table) as any
    expect(out.properties.properties.properties.total).toEqual({ type: 'integer', description: 'Order total' })
    expect(out.properties.properties.properties.coupon).toEqual({ type: ['string', 'null'] })
    expect(out.properties.properties.properties.items).toEqual({ type: 'array', items: { type: 'object' } })
    expect(out.properties.properties.properties.source).toEqual({ type: 'string', enum: ['web', 'ios'] })
    expect(out.properties.properties.required).toEqual(['order_id', 'legacy_id', 'coupon', 'source'])
    expect(out.properties.properties.additionalProperties).toBe(false)
    expect(out.properties.context).toEqual(segmentRule.properties.context)
    expect(out.labels).toEqual({ team: 'growth' })
    // The input is not mutated.
    expect(segmentRule.properties.properties.properties.total.type).toBe('number')
  })

  it('round-trips every shape the table can express', () => {
    const rows = [
      { ...emptyRow(), name: 'a', type: 'string' as const, pattern: '^x$', description: 'd', required: true },
      { ...emptyRow(), name: 'b', type: 'integer' as const, enum: [1, 2] },
      { ...emptyRow(), name: 'c', type: 'boolean' as const, enum: [true] },
      { ...emptyRow(), name: 'd', type: 'any' as const },
      { ...emptyRow(), name: 'e', type: 'object' as const },
      { ...emptyRow(), name: 'f', type: 'null' as const }
    ]
    const schema = schemaWithTable(emptyRuleSchema('properties'), { section: 'properties', rows, extraRequired: [] })
    const again = tableOf(schema, 'properties')!
    expect(again.rows).toEqual(rows)
    expect(schemaWithTable(schema, again)).toEqual(schema)
  })

  it('adds the section only when there is something to say', () => {
    const bare = { type: 'object' }
    expect(schemaWithTable(bare, tableOf(bare, 'traits')!)).toEqual(bare)
    const out = schemaWithTable(bare, { section: 'traits', rows: [{ ...emptyRow(), name: 'email', required: true }], extraRequired: [] })
    expect(out).toEqual({ type: 'object', properties: { traits: { type: 'object', properties: { email: { type: 'string' } }, required: ['email'] } } })
  })

  it('refuses a section it cannot read as a table', () => {
    expect(tableOf({ properties: { properties: { $ref: '#/x', properties: 3 } } }, 'properties')).toBeNull()
    expect(tableOf({ properties: [] }, 'properties')).toBeNull()
    expect(tableOf({ properties: { properties: { required: 'x' } } }, 'properties')).toBeNull()
  })

  it('keeps boolean property schemas as advanced', () => {
    const schema = { properties: { properties: { properties: { x: true } } } }
    const table = tableOf(schema, 'properties')!
    expect(table.rows[0]!.advanced).toEqual({ schema: true })
    expect(schemaWithTable(schema, table)).toEqual(schema)
  })
})

describe('row problems and allowed values', () => {
  it('flags empty and duplicate names, bad patterns, values of the wrong type', () => {
    const problems = rowProblems([
      { ...emptyRow(), name: '' },
      { ...emptyRow(), name: 'a', pattern: '(' },
      { ...emptyRow(), name: 'a', type: 'integer', enum: parseEnum('1, x', 'integer') }
    ])
    expect(problems.map((p) => [p.index, p.field])).toEqual([
      [0, 'name'],
      [1, 'pattern'],
      [2, 'name'],
      [2, 'enum']
    ])
  })

  it('parses and formats allowed values per type', () => {
    expect(parseEnum(' EUR, USD ,', 'string')).toEqual(['EUR', 'USD'])
    expect(parseEnum('1, 2.5', 'number')).toEqual([1, 2.5])
    expect(parseEnum('true,false', 'boolean')).toEqual([true, false])
    expect(parseEnum('  ', 'string')).toBeNull()
    expect(formatEnum(['EUR', 'USD'])).toBe('EUR, USD')
    expect(formatEnum(null)).toBe('')
  })
})
