import { describe, expect, it } from 'vitest'
import type { GraphNode, IdentityGraph } from '../../../src-shared/identity'
import { labelBox, layoutGraph, NODE_R, overlaps } from './graph-layout'

const node = (id: number, profileId: number): GraphNode => ({ id, kind: 'anonymous_id', value: `v${id}`, profileId, firstSeen: '' })
const edge = (from: number, to: number, refused = false) => ({ from, to, eventId: '1', at: '', refused })

describe('identity graph layout', () => {
  it('puts own identifiers on a circle and other profiles apart to the right, grouped', () => {
    const graph: IdentityGraph = { profileId: 1, nodes: [node(1, 1), node(2, 1), node(3, 1), node(4, 1), node(9, 2), node(8, 3), node(7, 2)], edges: [edge(1, 2), edge(2, 9, true), edge(1, 99)], log: [] }
    const layout = layoutGraph(graph)
    const own = layout.nodes.filter((n) => n.own)
    const foreign = layout.nodes.filter((n) => !n.own)
    expect(own).toHaveLength(4)
    const cx = own.reduce((s, n) => s + n.x, 0) / own.length
    const cy = own.reduce((s, n) => s + n.y, 0) / own.length
    const radii = own.map((n) => Math.hypot(n.x - cx, n.y - cy))
    for (const r of radii) expect(r).toBeCloseTo(radii[0]!, 6)
    expect(Math.min(...foreign.map((n) => n.x))).toBeGreaterThan(Math.max(...own.map((n) => n.x)) + 100)
    expect(layout.groups.map((g) => g.profileId)).toEqual([2, 3])
    // Profile 2's two nodes come together, before profile 3's.
    expect(foreign.map((n) => n.node.id)).toEqual([9, 7, 8])
    // An edge to a node the graph does not hold is not drawn.
    expect(layout.edges.map((e) => [e.edge.from, e.edge.to])).toEqual([[1, 2], [2, 9]])
    for (const n of layout.nodes) {
      expect(n.x).toBeGreaterThan(0)
      expect(n.x).toBeLessThan(layout.width)
      expect(n.y).toBeGreaterThan(0)
      expect(n.y).toBeLessThan(layout.height)
    }
  })

  it('draws a lone identifier in the middle, its label under it', () => {
    const layout = layoutGraph({ profileId: 1, nodes: [node(1, 1)], edges: [], log: [] })
    const [lone] = layout.nodes
    expect(lone!.x).toBeCloseTo(layout.width / 2, 6)
    expect(lone!.label.top).toBeGreaterThan(lone!.y + NODE_R)
  })

  it('grows with the node count and keeps long labels from overlapping one another or a node', () => {
    const long = (id: number, profileId: number, kind: string): GraphNode => ({ id, kind, value: kind === 'email' ? `a.very.long.email.address.for.testing.layout.${id}@some-really-long-subdomain.example-company.com` : `device-anon-${id}-${'y'.repeat(50)}`, profileId, firstSeen: '' })
    let previous = { width: 0, height: 0 }
    for (const count of [2, 5, 8, 12, 16, 24]) {
      const nodes = Array.from({ length: count }, (_, i) => long(i + 1, 1, i % 2 === 0 ? 'email' : 'anonymous_id'))
      const foreign = [long(100, 2, 'email'), long(101, 3, 'anonymous_id')]
      const layout = layoutGraph({ profileId: 1, nodes: [...nodes, ...foreign], edges: [edge(1, 100, true)], log: [] })
      expect(layout.width * layout.height).toBeGreaterThan(previous.width * previous.height)
      previous = layout
      for (const [i, a] of layout.nodes.entries()) {
        const box = labelBox(a.label)
        expect(box.left, `label of node ${a.node.id} of ${count}`).toBeGreaterThanOrEqual(0)
        expect(box.right).toBeLessThanOrEqual(layout.width)
        expect(box.top).toBeGreaterThanOrEqual(0)
        expect(box.bottom).toBeLessThanOrEqual(layout.height)
        for (const [j, b] of layout.nodes.entries()) {
          if (j === i) continue
          const circle = { left: b.x - NODE_R, right: b.x + NODE_R, top: b.y - NODE_R, bottom: b.y + NODE_R }
          expect(overlaps(box, circle), `label ${a.node.id} on node ${b.node.id} (${count} nodes)`).toBe(false)
          if (j > i) expect(overlaps(box, labelBox(b.label)), `labels ${a.node.id} and ${b.node.id} (${count} nodes)`).toBe(false)
        }
      }
      // Labels are short and tell the nodes apart.
      expect(new Set(layout.nodes.map((n) => n.label.text)).size).toBe(layout.nodes.length)
    }
  })
})
