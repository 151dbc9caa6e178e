// Precision and recall of every built-in matcher over the labelled corpus: each must catch every true
// positive and report nothing on the look-alikes. Failures list the fields, so a changed rule shows what it
// broke.

import { describe, expect, it } from 'vitest'
import type { BuiltInMatcherId } from '../../../src-shared/privacy'
import { CORPUS, type LabelledField } from './corpus'
import { compileDetector, type DetectedField } from './detect'
import { BUILT_IN_MATCHERS } from './matchers'

function messageOf(field: LabelledField): Record<string, unknown> {
  const segments = field.path.split('.')
  const type = field.type ?? (segments[0] === 'traits' ? 'identify' : 'track')
  const message: Record<string, unknown> = { type, userId: 'u1' }
  let node: Record<string, unknown> | unknown[] = message
  segments.forEach((segment, i) => {
    const last = i === segments.length - 1
    const next = segments[i + 1]
    const child = last ? field.value : /^\d+$/.test(next!) ? [] : {}
    const key: string | number = Array.isArray(node) ? Number(segment) : segment
    ;(node as Record<string | number, unknown>)[key] = child
    if (!last) node = child as Record<string, unknown> | unknown[]
  })
  return message
}

const pointerOf = (path: string): string => '/' + path.split('.').join('/')

interface Score {
  tp: number
  fp: number
  fn: number
}

describe('PII detection corpus', () => {
  const detector = compileDetector({ custom: [] })
  const results = CORPUS.map((field) => ({ field, found: detector.detect(messageOf(field)) }))

  it('has true positives for every built-in matcher and many look-alikes', () => {
    for (const m of BUILT_IN_MATCHERS) {
      expect(CORPUS.filter((c) => c.expect === m.id).length, m.id).toBeGreaterThanOrEqual(2)
    }
    expect(CORPUS.filter((c) => c.expect === null).length).toBeGreaterThanOrEqual(150)
  })

  it('scores precision 1 and recall 1 for every matcher', () => {
    const scores = new Map<string, Score>(BUILT_IN_MATCHERS.map((m) => [m.id, { tp: 0, fp: 0, fn: 0 }]))
    const misses: string[] = []
    const score = (id: string): Score => {
      let s = scores.get(id)
      if (s === undefined) scores.set(id, (s = { tp: 0, fp: 0, fn: 0 }))
      return s
    }
    for (const { field, found } of results) {
      const want = field.expect
      const hit = found.find((d) => d.pointer === pointerOf(field.path))
      const others = found.filter((d) => d !== hit)
      for (const o of others) misses.push(`${field.path}=${JSON.stringify(field.value)}: unexpected ${o.matcher} at ${o.pointer}`)
      if (want !== null && hit?.matcher === want) score(want).tp++
      else {
        if (want !== null) {
          score(want).fn++
          misses.push(`${field.path}=${JSON.stringify(field.value)}: missed ${want}${hit ? ` (got ${hit.matcher})` : ''}`)
        }
        if (hit !== undefined) {
          score(hit.matcher).fp++
          if (want === null) misses.push(`${field.path}=${JSON.stringify(field.value)}: false ${hit.matcher}`)
        }
      }
    }
    const table = Object.fromEntries(
      [...scores].map(([id, s]) => [
        id,
        { precision: s.tp + s.fp === 0 ? 1 : s.tp / (s.tp + s.fp), recall: s.tp + s.fn === 0 ? 1 : s.tp / (s.tp + s.fn) }
      ])
    )
    expect(misses).toEqual([])
    for (const m of BUILT_IN_MATCHERS) expect(table[m.id], m.id).toEqual({ precision: 1, recall: 1 })
  })

  it('never puts the raw value in a sample', () => {
    for (const { field, found } of results) {
      for (const d of found) {
        const raw = String(field.value)
        expect(d.sample, field.path).not.toBe(raw)
        if (raw.length >= 3) expect(d.sample.includes(raw), `${field.path}: ${d.sample}`).toBe(false)
        expect(d.sample).toContain('•')
      }
    }
  })

  it('reports nothing but the client IP on a typical analytics.js page + track pair', () => {
    const context = {
      library: { name: 'analytics.js', version: 'npm:next-1.84.3' },
      page: {
        path: '/products/42',
        referrer: 'https://www.google.com/',
        search: '?utm_source=news&ref=abc',
        title: 'Blue T-Shirt – Shop',
        url: 'https://shop.example.com/products/42?utm_source=news&ref=abc'
      },
      userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1',
      userAgentData: { brands: [{ brand: 'Chromium', version: '120' }], mobile: true, platform: 'iOS' },
      locale: 'en-GB',
      timezone: 'Europe/London',
      ip: '198.51.100.23',
      campaign: { name: 'spring', source: 'news', medium: 'email' },
      app: { name: 'Shop', version: '3.2.1.0', build: '3210' },
      os: { name: 'iOS', version: '17.2' },
      device: { id: 'B5372DB0-C21E-11E4-8DFC-AA07A5B093DB', model: 'iPhone15,2', type: 'mobile' }
    }
    const track = {
      type: 'track',
      event: 'Product Added',
      userId: 'user-1234',
      anonymousId: '507f191e810c19729de860ea',
      messageId: 'ajs-next-1700000000000-5c7a0a5e-8e4e-4c5d-9e54-3a1b6a1c2d3e',
      timestamp: '2024-01-15T10:30:00.000Z',
      properties: {
        cart_id: 'skdjsidjsdkdj29j',
        product_id: '507f1f77bcf86cd799439011',
        sku: 'G-32',
        category: 'Games',
        name: 'Monopoly: 3rd Edition',
        brand: 'Hasbro',
        variant: '200 pieces',
        price: 18.99,
        quantity: 1,
        coupon: 'MAYDEALS',
        position: 3,
        url: 'https://www.example.com/product/path',
        image_url: 'https://www.example.com/product/path.jpg',
        products: [{ product_id: '4242424242424241', name: 'Dice', price: 1.5 }]
      },
      context
    }
    const found = detector.detect(track)
    expect(found.map((d) => [d.pointer, d.matcher, d.sample])).toEqual([['/context/ip', 'ip_address', '198.51.•.•']])
  })

  it('declares value lengths its value tests keep to (detection skips the test outside them)', () => {
    const strings = CORPUS.map((c) => c.value).filter((v): v is string => typeof v === 'string')
    // Lengths just outside each range, made from every corpus value: a test that accepted one would be hidden.
    const stretched = strings.flatMap((v) => [v, v + '0', v.slice(0, -1), v + 'a'.repeat(300)])
    const context = { versionKey: false, rules: null, custom: null }
    for (const m of BUILT_IN_MATCHERS) {
      if (!m.value || !m.valueLength) continue
      const [min, max] = m.valueLength
      for (const v of stretched) if (m.value(v, context)) expect(v.length >= min && v.length <= max, `${m.id}: ${JSON.stringify(v)}`).toBe(true)
    }
  })

  it('only names built-in matchers that exist', () => {
    const ids = new Set<string>(BUILT_IN_MATCHERS.map((m) => m.id))
    for (const c of CORPUS) if (c.expect !== null) expect(ids.has(c.expect as BuiltInMatcherId), c.expect).toBe(true)
    const found: DetectedField[] = results.flatMap((r) => r.found)
    for (const d of found) expect(ids.has(d.matcher), d.matcher).toBe(true)
  })
})
