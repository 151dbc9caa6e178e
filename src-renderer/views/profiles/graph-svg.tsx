// The identity graph as SVG: identifiers as circles coloured by kind, links as lines. Other profiles'
// identifiers (ends of refused links) are dashed, apart on the right; refused links are red and dashed.
// Hovering or clicking a link tells which event made it and when. Every label is an SVG <text> node.

import { useState } from 'react'
import type { GraphEdge } from '../../../src-shared/identity'
import { formatDateTime } from '../../format/time'
import { EventLink } from './event-link'
import type { GraphLayout, PlacedEdge } from './graph-layout'
import { kindColour } from './kind-colours'

const NODE_R = 14
const LABEL_MAX = 26

const short = (text: string): string => (text.length > LABEL_MAX ? `${text.slice(0, LABEL_MAX - 1)}…` : text)
const edgeKey = (e: GraphEdge): string => `${e.from}-${e.to}-${e.eventId}`

export function GraphSvg({ layout }: { layout: GraphLayout }) {
  const [hovered, setHovered] = useState<PlacedEdge | null>(null)
  const [picked, setPicked] = useState<PlacedEdge | null>(null)
  const shown = hovered ?? picked

  return (
    <div className="graph-figure">
      <svg className="identity-graph" viewBox={`0 0 ${layout.width} ${layout.height}`} width={layout.width} height={layout.height} role="img" aria-label="Identity graph">
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
            <text className="node-kind" y={NODE_R + 14} textAnchor="middle">
              {n.node.kind}
            </text>
            <text className="node-value" y={NODE_R + 28} textAnchor="middle">
              {short(n.node.value)}
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
