// Where the identity graph's nodes and their labels go: the profile's own identifiers on a circle with each
// label outside it, pointing away from the centre (so labels stay off the links, which run inwards), and
// identifiers of other profiles (the far ends of refused links) in a column to the right, grouped by
// profile, so what was kept apart is drawn apart. The circle grows until no two labels overlap, so the
// drawing gets larger with the node count rather than crowding. Deterministic: the same graph draws the
// same way on every load. Label widths are estimated from their length (no DOM to measure in).

import type { GraphEdge, GraphNode, IdentityGraph } from '../../../src-shared/identity'
import { shortLabels } from './graph-labels'

export const NODE_R = 14
/** Two lines: the kind, then the value. */
export const LABEL_H = 28
export const KIND_BASELINE = 10
export const VALUE_BASELINE = 24

const KIND_CHAR_W = 6.5
const VALUE_CHAR_W = 7
const LABEL_GAP = 6
const LABEL_PAD = 6
const MIN_RADIUS = 90
const MAX_RADIUS = 5000
const FOREIGN_GAP = 110
const GROUP_CAPTION = 30
const FOREIGN_STEP = 2 * NODE_R + LABEL_GAP + LABEL_H + 20
const GROUP_GAP = 30
const MARGIN = 24

export interface NodeLabel {
  /** The value as drawn (cut in the middle when long); the node's tooltip has it whole. */
  text: string
  anchor: 'start' | 'middle' | 'end'
  /** Where the text is anchored, and the top of its two lines. */
  x: number
  top: number
  /** Estimated, for keeping labels apart. */
  width: number
}

export interface PlacedNode {
  node: GraphNode
  x: number
  y: number
  /** Belongs to the profile shown (not another profile reached by a refused link). */
  own: boolean
  label: NodeLabel
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

interface Box {
  left: number
  right: number
  top: number
  bottom: number
}

export function labelBox(label: NodeLabel): Box {
  const left = label.anchor === 'start' ? label.x : label.anchor === 'end' ? label.x - label.width : label.x - label.width / 2
  return { left, right: left + label.width, top: label.top, bottom: label.top + LABEL_H }
}

const nodeBox = (p: { x: number; y: number }): Box => ({ left: p.x - NODE_R, right: p.x + NODE_R, top: p.y - NODE_R, bottom: p.y + NODE_R })

export const overlaps = (a: Box, b: Box, pad = 0): boolean => a.left < b.right + pad && b.left < a.right + pad && a.top < b.bottom + pad && b.top < a.bottom + pad

const labelWidth = (kind: string, text: string): number => Math.max(kind.length * KIND_CHAR_W, [...text].length * VALUE_CHAR_W)

/** The own identifiers around (0, 0) at radius r, the first at the top, clockwise. */
function ring(own: GraphNode[], texts: string[], r: number): PlacedNode[] {
  return own.map((node, i) => {
    const angle = own.length === 1 ? Math.PI / 2 : -Math.PI / 2 + (2 * Math.PI * i) / own.length
    const x = own.length === 1 ? 0 : r * Math.cos(angle)
    const y = own.length === 1 ? 0 : r * Math.sin(angle)
    const cos = Math.cos(angle)
    const sin = Math.sin(angle)
    const ax = x + cos * (NODE_R + LABEL_GAP)
    const ay = y + sin * (NODE_R + LABEL_GAP)
    const anchor = cos > 0.3 ? 'start' : cos < -0.3 ? 'end' : 'middle'
    // Above the node at the top, beside it at the sides, below it at the bottom.
    const top = ay - LABEL_H / 2 + (sin * LABEL_H) / 2
    return { node, x, y, own: true, label: { text: texts[i]!, anchor, x: ax, top, width: labelWidth(node.kind, texts[i]!) } }
  })
}

function crowded(placed: PlacedNode[]): boolean {
  for (let i = 0; i < placed.length; i++) {
    const a = labelBox(placed[i]!.label)
    for (let j = 0; j < placed.length; j++) {
      if (j !== i && overlaps(a, nodeBox(placed[j]!), LABEL_PAD)) return true
      if (j > i && overlaps(a, labelBox(placed[j]!.label), LABEL_PAD)) return true
    }
  }
  return false
}

function extent(boxes: Box[]): Box {
  return {
    left: Math.min(...boxes.map((b) => b.left)),
    right: Math.max(...boxes.map((b) => b.right)),
    top: Math.min(...boxes.map((b) => b.top)),
    bottom: Math.max(...boxes.map((b) => b.bottom))
  }
}

const boxesOf = (nodes: PlacedNode[]): Box[] => nodes.flatMap((n) => [nodeBox(n), labelBox(n.label)])

export function layoutGraph(graph: IdentityGraph): GraphLayout {
  const texts = shortLabels(graph.nodes.map((n) => n.value))
  const textOf = new Map(graph.nodes.map((n, i) => [n.id, texts[i]!]))
  const own = graph.nodes.filter((n) => n.profileId === graph.profileId)
  const foreign = graph.nodes.filter((n) => n.profileId !== graph.profileId)
  const ownTexts = own.map((n) => textOf.get(n.id)!)

  // The circle grows until every label has its room.
  let radius = Math.max(MIN_RADIUS, (own.length * 2 * NODE_R * 2) / (2 * Math.PI))
  let placedOwn = ring(own, ownTexts, radius)
  while (own.length > 1 && crowded(placedOwn) && radius < MAX_RADIUS) {
    radius *= 1.1
    placedOwn = ring(own, ownTexts, radius)
  }
  const ownExtent = own.length > 0 ? extent(boxesOf(placedOwn)) : { left: 0, right: 0, top: 0, bottom: 0 }

  const byProfile = new Map<number, GraphNode[]>()
  for (const node of foreign) byProfile.set(node.profileId, [...(byProfile.get(node.profileId) ?? []), node])
  const widest = Math.max(0, ...foreign.map((n) => labelWidth(n.kind, textOf.get(n.id)!)))
  const fx = ownExtent.right + FOREIGN_GAP + widest / 2
  const placedForeign: PlacedNode[] = []
  const groups: GraphLayout['groups'] = []
  let y = 0
  for (const [profileId, nodes] of [...byProfile].sort((a, b) => a[0] - b[0])) {
    groups.push({ profileId, x: fx, y })
    y += GROUP_CAPTION
    for (const node of nodes) {
      const text = textOf.get(node.id)!
      placedForeign.push({ node, x: fx, y, own: false, label: { text, anchor: 'middle', x: fx, top: y + NODE_R + LABEL_GAP, width: labelWidth(node.kind, text) } })
      y += FOREIGN_STEP
    }
    y += GROUP_GAP
  }
  // The other profiles' column is centred on the circle.
  if (placedForeign.length > 0) {
    const column = extent([...boxesOf(placedForeign), ...groups.map((g) => ({ left: g.x, right: g.x, top: g.y - 14, bottom: g.y }))])
    const shift = (ownExtent.top + ownExtent.bottom) / 2 - (column.top + column.bottom) / 2
    for (const p of placedForeign) {
      p.y += shift
      p.label.top += shift
    }
    for (const g of groups) g.y += shift
  }

  const nodes = [...placedOwn, ...placedForeign]
  const all = extent([...boxesOf(nodes), ...groups.map((g) => ({ left: g.x - 50, right: g.x + 50, top: g.y - 14, bottom: g.y }))])
  const dx = MARGIN - all.left
  const dy = MARGIN - all.top
  for (const p of nodes) {
    p.x += dx
    p.y += dy
    p.label.x += dx
    p.label.top += dy
  }
  for (const g of groups) {
    g.x += dx
    g.y += dy
  }

  const placed = new Map(nodes.map((p) => [p.node.id, p]))
  const edges: PlacedEdge[] = []
  for (const edge of graph.edges) {
    const from = placed.get(edge.from)
    const to = placed.get(edge.to)
    if (from && to) edges.push({ edge, from, to })
  }
  return { width: all.right - all.left + 2 * MARGIN, height: all.bottom - all.top + 2 * MARGIN, nodes, edges, groups }
}
