// The identity graph as SVG: identifiers as circles coloured by kind, links as lines. Other profiles'
// identifiers (ends of refused links) are dashed, apart on the right; refused links are red and dashed.
// Hovering or clicking a link tells which event made it and when. Every label is an SVG <text> node; a
// value cut short for its label is whole in the node's tooltip. The drawing keeps its size (text stays
// readable) and is centred in the width available; a wider one scrolls sideways.

import { useState } from 'react'
import type { GraphEdge } from '../../../src-shared/identity'
import { formatDateTime } from '../../format/time'
import { EventLink } from './event-link'
import { KIND_BASELINE, NODE_R, VALUE_BASELINE, type GraphLayout, type PlacedEdge } from './graph-layout'
import { kindColour } from './kind-colours'

const edgeKey = (e: GraphEdge): string => `${e.from}-${e.to}-${e.eventId}`

export function GraphSvg({ layout }: { layout: GraphLayout }) {
  const [hovered, setHovered] = useState<PlacedEdge | null>(null)
  const [picked, setPicked] = useState<PlacedEdge | null>(null)
  const shown = hovered ?? picked

  return (
    <div className="graph-figure">
      <svg className="identity-graph" viewBox={`0 0 ${layout.width} ${layout.height}`} height={layout.height} style={{ minWidth: layout.width }} role="img" aria-label="Identity graph">
        {layout.groups.map((g) => (
          <text key={g.profileId} className="graph-group" x={g.x} y={g.y} textAnchor="middle">
            {`profile #${g.profileId}`}
          </text>
        ))}
        {layout.edges.map((e) => {
          const key = edgeKey(e.edge)
          const active = shown !== null && edgeKey(shown.edge) === key
          return (
            <g
              key={key}
              className={`graph-edge${e.edge.refused ? ' refused' : ''}${active ? ' active' : ''}`}
              data-refused={e.edge.refused ? 'true' : 'false'}
              data-event-id={e.edge.eventId}
              onMouseEnter={() => setHovered(e)}
              onMouseLeave={() => setHovered(null)}
              onClick={() => setPicked(picked && edgeKey(picked.edge) === key ? null : e)}
            >
              <line className="edge-line" x1={e.from.x} y1={e.from.y} x2={e.to.x} y2={e.to.y} />
              {/* A wide invisible stroke: a 2px line is hard to point at. */}
              <line className="edge-hit" x1={e.from.x} y1={e.from.y} x2={e.to.x} y2={e.to.y} />
              <title>{`${e.edge.refused ? 'Refused link' : 'Link'} seen in event ${e.edge.eventId} at ${formatDateTime(e.edge.at)}`}</title>
            </g>
          )
        })}
        {layout.nodes.map((n) => (
          <g key={n.node.id} className={`graph-node${n.own ? '' : ' foreign'}`} data-kind={n.node.kind} data-value={n.node.value} data-profile-id={n.node.profileId} transform={`translate(${n.x} ${n.y})`}>
            <circle r={NODE_R} style={{ stroke: kindColour(n.node.kind), fill: n.own ? kindColour(n.node.kind) : 'var(--bg-elev)' }} />
            <text className="node-kind" x={n.label.x - n.x} y={n.label.top - n.y + KIND_BASELINE} textAnchor={n.label.anchor}>
              {n.node.kind}
            </text>
            <text className="node-value" x={n.label.x - n.x} y={n.label.top - n.y + VALUE_BASELINE} textAnchor={n.label.anchor}>
              {n.label.text}
            </text>
            <title>{`${n.node.kind} ${n.node.value} (profile #${n.node.profileId})`}</title>
          </g>
        ))}
      </svg>
      <p className="edge-info" data-testid="edge-info" aria-live="polite">
        {shown ? (
          <>
            <span className={shown.edge.refused ? 'danger-text' : undefined}>{shown.edge.refused ? 'Refused link' : 'Link'}</span> {shown.from.node.kind} <code>{shown.from.node.value}</code> — {shown.to.node.kind} <code>{shown.to.node.value}</code>, seen in <EventLink id={shown.edge.eventId} /> at {formatDateTime(shown.edge.at)}
          </>
        ) : (
          <span className="muted">Point at or click a link to see the event that made it.</span>
        )}
      </p>
    </div>
  )
}
