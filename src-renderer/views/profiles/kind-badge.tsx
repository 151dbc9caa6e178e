// An identifier kind with its colour, the same in tables and in the graph.

import { kindColour } from './kind-colours'

export function KindBadge({ kind }: { kind: string }) {
  return (
    <span className="kind-badge" style={{ borderColor: kindColour(kind), color: kindColour(kind) }}>
      {kind}
    </span>
  )
}
