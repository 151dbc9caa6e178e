import { describe, expect, it } from 'vitest'
import { MAX_COLUMNS, MAX_DEPTH, flattenEvent, type WarehouseRow } from './flatten'

const LOADED = '2024-05-01T12:00:05.000Z'

const base = {
  messageId: 'm-1',
  timestamp: '2024-05-01T12:00:00.000Z',
  originalTimestamp: '2024-05-01T11:59:59.000Z',
  sentAt: '2024-05-01T12:00:01.000Z',
  receivedAt: '2024-05-01T12:00:02.000Z',
  userId: 'u-1',
  anonymousId: 'a-1',
  context: { library: { name: 'analytics.js', version: '5.0.0' }, ip: '10.0.0.1', page: { path: '/cart' } }
}

const common = {
  id: 'm-1',
  received_at: '2024-05-01T12:00:02.000Z',
  sent_at: '2024-05-01T12:00:01.000Z',
  timestamp: '2024-05-01T12:00:00.000Z',
  original_timestamp: '2024-05-01T11:59:59.000Z',
  user_id: 'u-1',
  anonymous_id: 'a-1',
  uuid_ts: LOADED
}

const context = {
  context_library_name: 'analytics.js',
  context_library_version: '5.0.0',
  context_ip: '10.0.0.1',
  context_page_path: '/cart'
}

const rows = (event: Record<string, unknown>): WarehouseRow[] => flattenEvent(event, LOADED)
const only = (event: Record<string, unknown>): WarehouseRow => {
  const out = rows(event)
  expect(out).toHaveLength(1)
  return out[0]!
}

describe('flattenEvent: one row per Segment table', () => {
  it('track → tracks (no properties) and the event table (properties un-prefixed)', () => {
    const out = rows({ ...base, type: 'track', event: 'Order Completed', properties: { orderId: 'o-9', total: 42.5, coupon: null } })
    expect(out).toEqual([
      { table: 'tracks', values: { ...common, event: 'order_completed', event_text: 'Order Completed', ...context }, dropped: 0, shadowed: 0 },
      {
        table: 'order_completed',
        values: { ...common, event: 'order_completed', event_text: 'Order Completed', ...context, order_id: 'o-9', total: 42.5, coupon: null },
        dropped: 0,
        shadowed: 0
      }
    ])
  })

  it('identify → identifies (common + context + traits) and users (id = userId, traits)', () => {
    const out = rows({ ...base, type: 'identify', traits: { email: 'a@b.c', firstName: 'Ada', address: { city: 'Paris' } } })
    const traits = { email: 'a@b.c', first_name: 'Ada', address_city: 'Paris' }
    expect(out).toEqual([
      { table: 'identifies', values: { ...common, ...context, ...traits }, dropped: 0, shadowed: 0 },
      { table: 'users', values: { id: 'u-1', received_at: common.received_at, uuid_ts: LOADED, ...traits }, dropped: 0, shadowed: 0 }
    ])
  })

  it('identify without a userId has no users row', () => {
    const out = rows({ ...base, userId: null, type: 'identify', traits: { plan: 'pro' } })
    expect(out.map((r) => r.table)).toEqual(['identifies'])
    expect(out[0]!.values.user_id).toBeNull()
    expect(rows({ ...base, userId: '', type: 'identify' }).map((r) => r.table)).toEqual(['identifies'])
  })

  it('page → pages with name, category and properties; context.page as context_page_*', () => {
    const row = only({ ...base, type: 'page', name: 'Cart', category: 'Shop', properties: { title: 'Your cart', url: 'https://x/cart' } })
    expect(row).toEqual({
      table: 'pages',
      values: { ...common, name: 'Cart', category: 'Shop', ...context, title: 'Your cart', url: 'https://x/cart' },
      dropped: 0,
      shadowed: 0
    })
  })

  it('page without a top-level category takes a category property', () => {
    expect(only({ ...base, type: 'page', properties: { category: 'Docs' } }).values).toMatchObject({ name: null, category: 'Docs' })
  })

  it('screen → screens with name and properties', () => {
    const row = only({ ...base, type: 'screen', name: 'Home', properties: { variant: 'B' } })
    expect(row).toEqual({ table: 'screens', values: { ...common, name: 'Home', ...context, variant: 'B' }, dropped: 0, shadowed: 0 })
  })

  it('group → groups with group_id and traits', () => {
    const row = only({ ...base, type: 'group', groupId: 'g-1', traits: { name: 'Initech', employeeCount: 50 } })
    expect(row).toEqual({ table: 'groups', values: { ...common, group_id: 'g-1', ...context, name: 'Initech', employee_count: 50 }, dropped: 0, shadowed: 0 })
  })

  it('alias → aliases with previous_id', () => {
    const row = only({ ...base, type: 'alias', previousId: 'a-1' })
    expect(row).toEqual({ table: 'aliases', values: { ...common, previous_id: 'a-1', ...context }, dropped: 0, shadowed: 0 })
  })

  it('an unknown type yields no rows', () => {
    expect(rows({ ...base, type: 'delete' })).toEqual([])
    expect(rows({ ...base })).toEqual([])
  })

  it('missing standard fields are nulls, never absent', () => {
    const row = only({ type: 'alias', previousId: 'p' })
    expect(row.values).toEqual({
      id: null, received_at: null, sent_at: null, timestamp: null, original_timestamp: null,
      user_id: null, anonymous_id: null, uuid_ts: LOADED, previous_id: 'p'
    })
  })
})

describe('flattenEvent: values', () => {
  const props = (properties: unknown): Record<string, unknown> =>
    rows({ ...base, context: undefined, type: 'track', event: 'E', properties })[1]!.values

  it('keeps strings, finite numbers and booleans; null/undefined → null; non-finite → null', () => {
    expect(props({ s: 'x', n: 3, f: 1.5, t: true, z: null, u: undefined, inf: Infinity, nan: NaN })).toMatchObject({
      s: 'x', n: 3, f: 1.5, t: true, z: null, u: null, inf: null, nan: null
    })
  })

  it('stringifies arrays as JSON, nested objects inside them included', () => {
    expect(props({ productIds: ['507f1', '505bd'], items: [{ sku: 'G-32', qty: 2 }], empty: [] })).toMatchObject({
      product_ids: '["507f1","505bd"]',
      items: '[{"sku":"G-32","qty":2}]',
      empty: '[]'
    })
  })

  it('flattens nested objects with `_`; an empty object adds no column', () => {
    const v = props({ product: { id: { sku: 'G-32' }, dims: { w: 1, h: 2 } }, meta: {} })
    expect(v).toMatchObject({ product_id_sku: 'G-32', product_dims_w: 1, product_dims_h: 2 })
    expect(Object.keys(v).some((k) => k.startsWith('meta'))).toBe(false)
  })

  it(`keeps nesting deeper than ${MAX_DEPTH} levels as JSON text`, () => {
    let deep: Record<string, unknown> = { leaf: 1 }
    for (let i = MAX_DEPTH; i >= 1; i--) deep = { [`l${i}`]: deep }
    const v = props(deep)
    const path = Array.from({ length: MAX_DEPTH }, (_, i) => `l${i + 1}`).join('_')
    expect(v[path]).toBe('{"leaf":1}')
    expect(Object.keys(v).filter((k) => k.startsWith('l1_'))).toEqual([path])
  })

  it('strips NUL and replaces lone surrogates, which PostgreSQL text cannot hold', () => {
    expect(props({ a: 'x\0y', b: 'ok\uD800', c: '😀' })).toMatchObject({ a: 'xy', b: 'ok\uFFFD', c: '😀' })
  })

  it('ids are text even when sent as numbers', () => {
    const row = rows({ ...base, messageId: 7, userId: 12345, type: 'track', event: 'E' })[0]!
    expect(row.values).toMatchObject({ id: '7', user_id: '12345' })
  })

  it('attacker keys become safe column names, never SQL', () => {
    const v = props({ 'x"; DROP TABLE tracks; --': 1, __proto__x: 2, constructor: 3 })
    expect(Object.keys(v).every((k) => /^[a-z_][a-z0-9_]*$/.test(k) && k.length <= 63)).toBe(true)
    expect(v).toMatchObject({ x_drop_table_tracks: 1, proto_x: 2, constructor: 3 })
  })
})

describe('flattenEvent: reserved names and clashes', () => {
  it("discards properties named like Segment's columns (Segment: \"properties with the same name as the reserved column name … are discarded\")", () => {
    const out = rows({
      ...base, type: 'track', event: 'E',
      properties: { id: 'evil', received_at: 'evil', receivedAt: 'evil', user_id: 'evil', event: 'evil', eventText: 'evil', uuid_ts: 'evil', uuid: 'x', loaded_at: 'x', ok: 1 }
    })
    expect(out[1]!.values).toMatchObject({ ...common, event: 'e', event_text: 'E', ok: 1 })
    expect(out[1]!.values).not.toHaveProperty('uuid')
    expect(out[1]!.values).not.toHaveProperty('loaded_at')
  })

  it('discards reserved traits on identifies and users, and table-specific names on groups and pages', () => {
    const [identifies, users] = rows({ ...base, type: 'identify', traits: { id: 'evil', anonymousId: 'evil', email: 'e' } })
    expect(identifies!.values).toMatchObject({ id: 'm-1', anonymous_id: 'a-1', email: 'e' })
    expect(users!.values).toEqual({ id: 'u-1', received_at: common.received_at, uuid_ts: LOADED, email: 'e' })
    expect(only({ ...base, type: 'group', groupId: 'g', traits: { groupId: 'evil' } }).values.group_id).toBe('g')
    expect(only({ ...base, type: 'page', name: 'P', properties: { name: 'evil' } }).values.name).toBe('P')
  })

  it('a property cannot overwrite a context column', () => {
    const v = rows({ ...base, type: 'track', event: 'E', properties: { context: { ip: 'spoofed' }, contextIp: 'spoofed' } })[1]!.values
    expect(v.context_ip).toBe('10.0.0.1')
  })

  it('reserved words get `_`, and keys that snake_case alike keep the first value', () => {
    const [tracks, own] = rows({ ...base, type: 'track', event: 'E', properties: { user: 'u', order: 2, fooBar: 'first', foo_bar: 'second', a: { b: 1 }, a_b: 2 } })
    expect(own!.values).toMatchObject({ _user: 'u', _order: 2, foo_bar: 'first', a_b: 1 })
    // The values left out are counted (the load's delivery-log entry says so), never silently lost.
    expect(own!.shadowed).toBe(2)
    expect(tracks!.shadowed).toBe(0)
    // The same value under both names is not counted: a page's category at the top and in its properties.
    expect(rows({ ...base, type: 'page', name: 'Home', category: 'Docs', properties: { category: 'Docs' } })[0]!.shadowed).toBe(0)
  })

  it('an event named like a Segment table lands in `_<table>`, and tracks.event names that table', () => {
    const [tracks, own] = rows({ ...base, type: 'track', event: 'Tracks', properties: { a: 1 } })
    expect(tracks).toMatchObject({ table: 'tracks', values: { event: '_tracks', event_text: 'Tracks' } })
    expect(own).toMatchObject({ table: '_tracks', values: { event: '_tracks', a: 1 } })
  })

  it('a track without an event name still gets a stable table', () => {
    const [tracks, own] = rows({ ...base, type: 'track' })
    expect(own!.table).toMatch(/^_[0-9a-f]{8}$/)
    expect(tracks!.values.event).toBe(own!.table)
    expect(tracks!.values.event_text).toBe('')
  })
})

describe('flattenEvent: bounds', () => {
  it(`keeps at most ${MAX_COLUMNS} columns a row and counts the rest`, () => {
    const properties = Object.fromEntries(Array.from({ length: 1500 }, (_, i) => [`p${i}`, i]))
    const [tracks, own] = rows({ ...base, type: 'track', event: 'Wide', properties })
    const standard = Object.keys(tracks!.values).length
    expect(tracks!.dropped).toBe(0)
    expect(Object.keys(own!.values)).toHaveLength(MAX_COLUMNS)
    expect(own!.dropped).toBe(1500 - (MAX_COLUMNS - standard))
    // Standard columns always come first, so the cap never drops them.
    expect(own!.values).toMatchObject({ ...common, ...context, event: 'wide' })
    expect(own!.values.p0).toBe(0)
  })

  it('the cap counts nested leaves and context columns too', () => {
    const wide = Object.fromEntries(Array.from({ length: 1200 }, (_, i) => [`k${i}`, 'v']))
    const row = only({ ...base, type: 'alias', previousId: 'p', context: { wide } })
    expect(Object.keys(row.values)).toHaveLength(MAX_COLUMNS)
    expect(row.dropped).toBe(1200 + 9 - MAX_COLUMNS)
  })
})
