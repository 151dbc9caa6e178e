import { describe, expect, it } from 'vitest'
import { EXAMPLE_EXPECTATIONS, parseExpectationsText } from './expectations-text'
import { runPath, runsScreenOf } from './run-routes'

describe('parseExpectationsText', () => {
  it('reads YAML and JSON alike', () => {
    const yaml = parseExpectationsText(EXAMPLE_EXPECTATIONS)
    expect(yaml).toEqual({ ok: true, file: { expect: [{ name: 'checkout', match: { type: 'track', event: 'Order Completed', where: [{ path: 'properties.total', equals: 10 }] }, count: 1 }] } })
    expect(parseExpectationsText('{"expect":[{"match":{"event":"A"}}]}')).toEqual({ ok: true, file: { expect: [{ match: { event: 'A' } }] } })
  })

  it('takes a bare list as the expect part', () => {
    expect(parseExpectationsText('- match: { event: A }')).toEqual({ ok: true, file: { expect: [{ match: { event: 'A' } }] } })
  })

  it('explains what is wrong instead of sending it', () => {
    expect(parseExpectationsText('  ')).toMatchObject({ ok: false })
    expect(parseExpectationsText('expect: [')).toMatchObject({ ok: false, error: expect.stringMatching(/^Not valid JSON or YAML/) })
    expect(parseExpectationsText('run: abc')).toMatchObject({ ok: false, error: expect.stringMatching(/^expect:/) })
    expect(parseExpectationsText('42')).toMatchObject({ ok: false, error: expect.stringMatching(/^expect:/) })
  })
})

describe('run routes', () => {
  it('round-trips a run id through its path', () => {
    expect(runsScreenOf('/runs')).toEqual({ id: null })
    expect(runsScreenOf(runPath('a b/c'))).toEqual({ id: 'a b/c' })
    expect(runsScreenOf('/runs/x/y')).toBeNull()
    expect(runsScreenOf('/live')).toBeNull()
    expect(runsScreenOf('/runs/%E0%A4%A')).toBeNull()
  })
})
