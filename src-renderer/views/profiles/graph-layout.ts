// Where the identity graph's nodes go: the profile's own identifiers on a circle, and identifiers of other
// profiles (the far ends of refused links) in a column to the right, grouped by profile, so what was kept
// apart is drawn apart. Deterministic: the same graph draws the same way on every load.

import type { GraphEdge, GraphNode, IdentityGraph } from '../../../src-shared/identity'

export interface PlacedNode {
  node: GraphNode
  x: number
  y: number
  /** Belongs to the profile shown (not another profile reached by a refused link). */
  own: boolean
}

export interface PlacedEdge {
  edge: GraphEdge
  from: PlacedNode
  to: PlacedNode
}

export interface GraphLayout {
  width: number
  height: number
  nodes: PlacedNode[]
  edges: PlacedEdge[]
  /** Where each other profile's group starts, for its caption. */
  groups: { profileId: number; x: number; y: number }[]
}

const MARGIN = 70
const MIN_RADIUS = 130
const NODE_SPACING = 110
const FOREIGN_GAP = 230
const FOREIGN_STEP = 64
const GROUP_GAP = 40

export function layoutGraph(graph: IdentityGraph): GraphLayout {
  const own = graph.nodes.filter((n) => n.profileId === graph.profileId)
  const foreign = graph.nodes.filter((n) => n.profileId !== graph.profileId)
  // The circle grows with the number of identifiers, so labels keep their room.
  const radius = own.length <= 1 ? 0 : Math.max(MIN_RADIUS, (own.length * NODE_SPACING) / (2 * Math.PI))
  const cx = MARGIN + Math.max(radius, 40) + 60
  const ownHeight = 2 * Math.max(radius, 40) + 2 * MARGIN
  const placed = new Map<number, PlacedNode>()
  own.forEach((node, i) => {
    // Start at the top and go clockwise.
    const angle = -Math.PI / 2 + (2 * Math.PI * i) / Math.max(own.length, 1)
    placed.set(node.id, { node, x: cx + radius * Math.cos(angle), y: 0, own: true })
    placed.get(node.id)!.y = radius * Math.sin(angle)
  })

  const byProfile = new Map<number, GraphNode[]>()
  for (const node of foreign) byProfile.set(node.profileId, [...(byProfile.get(node.profileId) ?? []), node])
  const fx = cx + Math.max(radius, 40) + FOREIGN_GAP
  const groups: GraphLayout['groups'] = []
  let y = 0
  for (const [profileId, nodes] of [...byProfile].sort((a, b) => a[0] - b[0])) {
    groups.push({ profileId, x: fx, y })
    y += 24
    for (const node of nodes) {
      placed.set(node.id, { node, x: fx, y, own: false })
      y += FOREIGN_STEP
    }
    y += GROUP_GAP
  }
  const foreignHeight = y === 0 ? 0 : y - GROUP_GAP - FOREIGN_STEP
  const height = Math.max(ownHeight, foreignHeight + 2 * MARGIN)
  const cy = height / 2
  // Own nodes were placed around 0; centre them. The other profiles' column is centred too.
  for (const p of placed.values()) p.y += p.own ? cy : (height - foreignHeight) / 2
  for (const g of groups) g.y += (height - foreignHeight) / 2

  const edges: PlacedEdge[] = []
  for (const edge of graph.edges) {
    const from = placed.get(edge.from)
    const to = placed.get(edge.to)
    if (from && to) edges.push({ edge, from, to })
  }
  const width = (foreign.length > 0 ? fx + 200 : cx + Math.max(radius, 40) + 140) + MARGIN / 2
  return { width, height, nodes: [...placed.values()], edges, groups }
}
