import { describe, expect, it } from 'vitest'
import { IDENT_MAX_BYTES, SEGMENT_TABLES, columnName, quoteIdent, schemaName, snakecase, tableName } from './naming'

const SAFE = /^[a-z_][a-z0-9_]*$/

describe('snakecase (go-snakecase port)', () => {
  // The cases from segmentio/go-snakecase's own tests, and its Rust port's digit cases.
  it.each([
    ['sample text', 'sample_text'],
    ['sample-text', 'sample_text'],
    ['sample_text', 'sample_text'],
    ['sample___text', 'sample_text'],
    ['sample_text_', 'sample_text'],
    ['sampleText', 'sample_text'],
    ['inviteYourCustomersAddInvites', 'invite_your_customers_add_invites'],
    ['sample 2 Text', 'sample_2_text'],
    ['   sample   2    Text   ', 'sample_2_text'],
    ['   $#$sample   2    Text   ', 'sample_2_text'],
    ['SAMPLE 2 TEXT', 'sample_2_text'],
    ['samPLE text', 'sam_ple_text'],
    ['___$$Base64Encode', 'base64_encode'],
    ['FOO:BAR$BAZ', 'foo_bar_baz'],
    ['FOO#BAR#BAZ', 'foo_bar_baz'],
    ['something.com', 'something_com'],
    ['$something%', 'something'],
    ['•¶§ƒ˚foo˙∆˚¬', 'foo'],
    ['CStringRef', 'cstring_ref'],
    ['5test', '5test'],
    ['test5', 'test5'],
    ['THE5r', 'the5r'],
    ['5TEst', '5test'],
    ['', '']
  ])('%j → %j', (input, output) => {
    expect(snakecase(input)).toBe(output)
  })
})

describe('tableName', () => {
  it('snake_cases event names as Segment does', () => {
    expect(tableName('Order Completed')).toBe('order_completed')
    expect(tableName('productViewed')).toBe('product_viewed')
    expect(tableName('Checkout: Step #1 (Viewed)!')).toBe('checkout_step_1_viewed')
    expect(tableName('signed_up')).toBe('signed_up')
  })

  it('drops non-ASCII letters like go-snakecase does', () => {
    expect(tableName('Café Viewed')).toBe('caf_viewed')
    expect(tableName('Über Clicked')).toBe('ber_clicked')
  })

  it('names an event with no ASCII letter or digit by a stable hash, distinct per name', () => {
    const a = tableName('注文完了')
    expect(a).toMatch(/^_[0-9a-f]{8}$/)
    expect(tableName('注文完了')).toBe(a)
    expect(tableName('購入')).not.toBe(a)
    expect(tableName('')).toMatch(/^_[0-9a-f]{8}$/)
    expect(tableName('!!!')).not.toBe(tableName('???'))
  })

  it('prefixes `_` to a leading digit', () => {
    expect(tableName('2FA Enabled')).toBe('_2fa_enabled')
    expect(tableName('404')).toBe('_404')
  })

  it("keeps events out of Segment's own tables", () => {
    for (const t of SEGMENT_TABLES) expect(tableName(t)).toBe(`_${t}`)
    expect(tableName('Tracks')).toBe('_tracks')
    expect(tableName('USERS')).toBe('_users')
    expect(tableName('Identifies!')).toBe('_identifies')
  })

  it('prefixes `_` to PostgreSQL reserved words (Segment: `_open`)', () => {
    expect(tableName('Order')).toBe('_order')
    expect(tableName('select')).toBe('_select')
    expect(tableName('User')).toBe('_user')
    expect(tableName('Ordered')).toBe('ordered')
  })

  it('truncates to 63 bytes with a hash, so long names stay apart and stable', () => {
    const base = 'Very Long Event Name '.repeat(6)
    const a = tableName(`${base}Alpha`)
    const b = tableName(`${base}Beta`)
    expect(a.length).toBe(IDENT_MAX_BYTES)
    expect(b.length).toBe(IDENT_MAX_BYTES)
    expect(a).not.toBe(b)
    expect(a.startsWith('very_long_event_name_very_long')).toBe(true)
    expect(tableName(`${base}Alpha`)).toBe(a)
    expect(tableName('x'.repeat(63))).toBe('x'.repeat(63))
    expect(tableName('x'.repeat(64))).toMatch(/^x{54}_[0-9a-f]{8}$/)
  })

  it('only ever produces safe names that never start with `__` (free for Loupe’s own tables)', () => {
    const hostile = ['"; DROP TABLE tracks; --', 'a"b', '\0', '__proto__', '_Tracks', '__x', 'É', ' _ ', '\uD800', '1', '_1x']
    for (const name of hostile) {
      const t = tableName(name)
      expect(t).toMatch(SAFE)
      expect(t.startsWith('__')).toBe(false)
      expect(t.length).toBeLessThanOrEqual(IDENT_MAX_BYTES)
    }
  })
})

describe('columnName', () => {
  it('joins nested keys with `_`, each snake_cased', () => {
    expect(columnName(['context', 'device', 'advertisingId'])).toBe('context_device_advertising_id')
    expect(columnName(['address', 'street'])).toBe('address_street')
    expect(columnName(['accountType'])).toBe('account_type')
    expect(columnName(['product_id', 'sku'])).toBe('product_id_sku')
  })

  it('prefixes reserved words and leading digits, but leaves Segment column names to flatten', () => {
    expect(columnName(['user'])).toBe('_user')
    expect(columnName(['from'])).toBe('_from')
    expect(columnName(['3dSecure'])).toBe('_3d_secure')
    expect(columnName(['order', 'id'])).toBe('order_id')
    expect(columnName(['id'])).toBe('id')
    expect(columnName(['receivedAt'])).toBe('received_at')
  })

  it('hashes a key with no ASCII letters instead of dropping it', () => {
    const c = columnName(['address', '名前'])
    expect(c).toMatch(/^address__[0-9a-f]{8}$/)
    expect(columnName(['address', '住所'])).not.toBe(c)
  })

  it('keeps long paths within 63 bytes and apart', () => {
    const deep = Array.from({ length: 12 }, (_, i) => `levelNumber${i}`)
    const a = columnName([...deep, 'a'])
    const b = columnName([...deep, 'b'])
    expect(a.length).toBe(IDENT_MAX_BYTES)
    expect(a).not.toBe(b)
    expect(a).toMatch(SAFE)
  })
})

describe('schemaName', () => {
  it('snake_cases the source name like a Segment slug', () => {
    expect(schemaName('Checkout Web')).toBe('checkout_web')
    expect(schemaName('iOS App (prod)')).toBe('i_os_app_prod')
    expect(schemaName('1st Source')).toBe('_1st_source')
  })

  it('stays out of PostgreSQL’s system schemas and reserved words', () => {
    expect(schemaName('pg_catalog')).toBe('_pg_catalog')
    expect(schemaName('PG Stuff')).toBe('_pg_stuff')
    expect(schemaName('information_schema')).toBe('_information_schema')
    expect(schemaName('Default')).toBe('_default')
  })

  it('names an unnameable source by hash and bounds long names', () => {
    expect(schemaName('')).toMatch(/^_[0-9a-f]{8}$/)
    expect(schemaName('ソース')).toMatch(/^_[0-9a-f]{8}$/)
    expect(schemaName('Source '.repeat(20)).length).toBe(IDENT_MAX_BYTES)
  })
})

describe('quoteIdent', () => {
  it('double-quotes and doubles embedded quotes', () => {
    expect(quoteIdent('order_completed')).toBe('"order_completed"')
    expect(quoteIdent('a"b')).toBe('"a""b"')
    expect(quoteIdent('x"; DROP TABLE t; --')).toBe('"x""; DROP TABLE t; --"')
    expect(quoteIdent('"')).toBe('""""')
  })

  it('refuses names PostgreSQL would reject or silently truncate', () => {
    expect(() => quoteIdent('')).toThrow(/empty/)
    expect(() => quoteIdent('a\0b')).toThrow(/NUL/)
    expect(() => quoteIdent('x'.repeat(64))).toThrow(/63 bytes/)
    expect(() => quoteIdent('é'.repeat(32))).toThrow(/63 bytes/)
    expect(quoteIdent('x'.repeat(63))).toBe(`"${'x'.repeat(63)}"`)
  })
})

describe('columnName of an empty path', () => {
  it('is still a usable identifier', () => {
    expect(columnName([])).toMatch(/^_[0-9a-f]{8}$/)
  })
})
