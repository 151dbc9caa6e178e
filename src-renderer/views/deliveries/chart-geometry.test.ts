import { describe, expect, it } from 'vitest'
import type { DeliveryAttempt } from '../../../src-shared/api'
import { appendOlder, mergeNewest } from './attempts-merge'
import { chartGeometry, fillBuckets, niceMax } from './chart-geometry'
import { prettySample } from './pretty-sample'

const bucket = (delivered: number, failed: number, p95Ms: number | null) => ({ at: '2024-01-01T00:00:00.000Z', delivered, failed, retries: 0, filtered: 0, p95Ms })

describe('chart geometry', () => {
  it('rounds the scale up to 1, 2 or 5 × 10^n', () => {
    expect([0, 1, 3, 7, 12, 480, 5001].map(niceMax)).toEqual([1, 1, 5, 10, 20, 500, 10000])
  })

  it('stacks failed on delivered and skips buckets without latency', () => {
    const g = chartGeometry([bucket(5, 5, 100), bucket(0, 0, null), bucket(10, 0, 200)], 300, 100)
    expect(g.maxCount).toBe(10)
    expect(g.bars[0]).toMatchObject({ delivered: { y: 50, height: 50 }, failed: { y: 0, height: 50 } })
    expect(g.bars[1]!.delivered.height).toBe(0)
    expect(g.bars[2]!.x).toBeCloseTo(201)
    expect(g.p95Points).toBe('50,50 250,0')
  })

  it('fills the buckets the engine left out (no attempts) across the whole range', () => {
    const at = (m: number) => new Date(Date.UTC(2024, 0, 1, 0, m)).toISOString()
    const filled = fillBuckets([{ ...bucket(3, 0, 10), at: at(2) }], Date.parse(at(0)) + 5000, Date.parse(at(4)) + 1000, 60_000)
    expect(filled.map((b) => [b.at, b.delivered])).toEqual([
      [at(0), 0],
      [at(1), 0],
      [at(2), 3],
      [at(3), 0],
      [at(4), 0]
    ])
  })

  it('draws nothing odd for no buckets', () => {
    expect(chartGeometry([], 300, 100)).toMatchObject({ bars: [], p95Points: '', maxCount: 1 })
  })
})

const attempt = (id: number, outcome: DeliveryAttempt['outcome'] = 'delivered'): DeliveryAttempt => ({
  id,
  at: '2024-01-01T00:00:00.000Z',
  durationMs: 3,
  outcome,
  httpStatus: 200,
  error: null,
  firstEventId: '1',
  lastEventId: '1',
  sent: 1,
  filtered: [],
  requestSample: null,
  responseSample: null,
  replayId: null
})

describe('attempts log merging', () => {
  it('puts new attempts on top without duplicates and keeps pages already loaded', () => {
    const shown = [attempt(5), attempt(4), attempt(2)]
    expect(mergeNewest(shown, [attempt(7), attempt(6), attempt(5, 'failed')]).map((a) => [a.id, a.outcome])).toEqual([
      [7, 'delivered'],
      [6, 'delivered'],
      [5, 'failed'],
      [4, 'delivered'],
      [2, 'delivered']
    ])
    expect(appendOlder(shown, [attempt(2), attempt(1)]).map((a) => a.id)).toEqual([5, 4, 2, 1])
  })
})

describe('samples', () => {
  it('indents JSON and leaves anything else as it is', () => {
    expect(prettySample('{"a":[1]}', '-')).toBe('{\n  "a": [\n    1\n  ]\n}')
    expect(prettySample('{"a":[1', '-')).toBe('{"a":[1')
    expect(prettySample('Bad Gateway', '-')).toBe('Bad Gateway')
    expect(prettySample(null, '(none)')).toBe('(none)')
  })
})
