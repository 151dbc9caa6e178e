// The expected names are the engine's (naming.ts schemaName, which the renderer cannot import: it hashes with
// node:crypto), go-snakecase quirks included.

import { describe, expect, it } from 'vitest'
import { defaultSchemaName } from './schema-name'

describe('defaultSchemaName', () => {
  it('is the name the engine gives a source’s schema', () => {
    const expected: [string, string][] = [
      ['Checkout Web', 'checkout_web'],
      ['checkout_web', 'checkout_web'],
      ['iOS App', 'i_os_app'],
      ['HTTPServer', 'httpserver'],
      ['Base64Encode', 'base64_encode'],
      ['v2 API', 'v_2_api'],
      ['2024 Launch', '_202_4_launch'],
      ['User', '_user'],
      ['order', '_order'],
      ['pg_stats', '_pg_stats'],
      ['information_schema', '_information_schema'],
      ['Café Viewed', 'caf_viewed'],
      ['  spaced  out ', 'spaced_out'],
      ['a__b', 'a_b'],
      ['Web-App (staging)', 'web_app_staging'],
      ['_private', '_private'],
      ['x'.repeat(63), 'x'.repeat(63)]
    ]
    for (const [name, schema] of expected) expect(defaultSchemaName(name), name).toBe(schema)
  })

  it('leaves the names the engine hashes to the engine', () => {
    expect(defaultSchemaName('注文')).toBeNull()
    expect(defaultSchemaName('y'.repeat(64))).toBeNull()
  })
})
