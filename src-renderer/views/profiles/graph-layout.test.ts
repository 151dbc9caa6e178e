import { describe, expect, it } from 'vitest'
import type { GraphNode, IdentityGraph } from '../../../src-shared/identity'
import { layoutGraph } from './graph-layout'

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

  it('draws a lone identifier in the middle', () => {
    const layout = layoutGraph({ profileId: 1, nodes: [node(1, 1)], edges: [], log: [] })
    expect(layout.nodes[0]!.y).toBe(layout.height / 2)
  })
})
