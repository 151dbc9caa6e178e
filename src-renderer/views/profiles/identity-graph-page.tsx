// A profile's identity graph: its identifiers, the links events made between them, refused links to
// other profiles, and the audit log of merges and refusals. A merged-away id shows its survivor's graph.

import { useEffect, useMemo, useState } from 'react'
import type { IdentityGraph } from '../../../src-shared/identity'
import { errorMessage } from '../../api/api-error'
import { api } from '../../api/client'
import { FormError } from '../../components/form-error'
import { Link } from '../../components/link'
import { useRouter } from '../../state/router-store'
import { EventDetail } from '../event-detail/event-detail'
import { layoutGraph } from './graph-layout'
import { GraphSvg } from './graph-svg'
import { IdentityLog } from './identity-log'
import { KindBadge } from './kind-badge'
import { graphPath, profilePath } from './profiles-routes'
import './profiles.css'

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`

export function IdentityGraphPage({ id }: { id: number }) {
  const [graph, setGraph] = useState<IdentityGraph | null>(null)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    const abort = new AbortController()
    api
      .profileGraph(id, abort.signal)
      .then((g) => {
        setGraph(g)
        if (g.profileId !== id) useRouter.getState().navigate(graphPath(g.profileId), { replace: true })
      })
      .catch((e: unknown) => !abort.signal.aborted && setError(errorMessage(e)))
    return () => abort.abort()
  }, [id])

  const layout = useMemo(() => (graph ? layoutGraph(graph) : null), [graph])
  const kinds = useMemo(() => [...new Set(graph?.nodes.map((n) => n.kind) ?? [])].sort(), [graph])
  const refused = graph?.edges.filter((e) => e.refused).length ?? 0

  return (
    <section className="screen profile-screen" aria-labelledby="graph-title">
      <header className="screen-header profile-header">
        <Link to={profilePath(graph?.profileId ?? id)} className="back-link">
          ← Profile #{graph?.profileId ?? id}
        </Link>
        <h1 id="graph-title">Identity graph</h1>
        {graph && (
          <p className="muted screen-intro">
            {plural(graph.nodes.filter((n) => n.profileId === graph.profileId).length, 'identifier')}, {plural(graph.edges.length - refused, 'link')}, {refused} refused
          </p>
        )}
      </header>
      <div className="split">
        <div className="profile-body">
          <FormError message={error} />
          {!graph && !error && <p className="muted loading">Loading the graph…</p>}
          {graph && layout && (
            <>
              <div className="graph-legend" aria-label="Legend">
                {kinds.map((k) => (
                  <KindBadge key={k} kind={k} />
                ))}
                <span className="legend-item">
                  <svg width="34" height="10" aria-hidden="true">
                    <line x1="0" y1="5" x2="34" y2="5" className="legend-line" />
                  </svg>
                  link
                </span>
                <span className="legend-item">
                  <svg width="34" height="10" aria-hidden="true">
                    <line x1="0" y1="5" x2="34" y2="5" className="legend-line refused" />
                  </svg>
                  refused link
                </span>
                <span className="legend-item">
                  <svg width="14" height="14" aria-hidden="true">
                    <circle cx="7" cy="7" r="5.5" className="legend-foreign" />
                  </svg>
                  another profile
                </span>
              </div>
              <GraphSvg layout={layout} />
              <section className="profile-section" aria-labelledby="log-title">
                <h2 id="log-title" className="section-heading">
                  Merges and refusals
                </h2>
                <IdentityLog entries={graph.log} />
              </section>
            </>
          )}
        </div>
        <EventDetail />
      </div>
    </section>
  )
}
