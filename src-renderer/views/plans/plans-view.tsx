// The Tracking plans screen: the list (with import and inference), a plan's editor, a draft's editor,
// and a plan's versions.

import { useEffect, useState } from 'react'
import type { TrackingPlan } from '../../../src-shared/plans'
import { api } from '../../api/client'
import { errorMessage } from '../../api/api-error'
import { Link } from '../../components/link'
import { formatDateTime } from '../../format/time'
import { planPath, PLANS_PATH, usePlans, type PlansScreen } from '../../state/plans-store'
import { useSources } from '../../state/sources-store'
import { ImportPanel } from './import-panel'
import { InferPanel } from './infer-panel'
import { PlanEditor } from './plan-editor'
import { VersionsView } from './versions-view'
import './plans.css'
import { FormError } from '../../components/form-error'

export function PlansView({ screen }: { screen: PlansScreen }) {
  useEffect(() => void usePlans.getState().load(), [])
  switch (screen.screen) {
    case 'list':
      return <PlansList />
    case 'new':
      return <NewPlan />
    case 'edit':
      return <EditPlan key={screen.id} id={screen.id} />
    case 'versions':
      return <VersionsView key={screen.id} id={screen.id} />
  }
}

function PlansList() {
  const plans = usePlans((s) => s.plans)
  const loaded = usePlans((s) => s.loaded)
  const error = usePlans((s) => s.error)
  const sources = useSources((s) => s.sources)
  const sourceName = (id: number): string => sources.find((s) => s.id === id)?.name ?? `source ${id}`

  return (
    <section className="screen plans-screen" aria-labelledby="plans-title">
      <header className="screen-header">
        <h1 id="plans-title">Tracking plans</h1>
        <p className="muted screen-intro">The events each source should send, as JSON Schema rules (Segment Protocols’ format).</p>
      </header>
      <div className="plans-body">
        <div className="toolbar">
          <Link to={`${PLANS_PATH}/new`} className="button primary" onClick={() => usePlans.getState().setDraft(null)}>
            New plan
          </Link>
        </div>
        <FormError message={error} />
        {loaded && plans.length === 0 && !error && <p className="empty-state">No tracking plans yet. Create one, import Segment’s JSON, or infer one from traffic.</p>}
        {plans.length > 0 && (
          <table className="plans-table" aria-label="Tracking plans">
            <thead>
              <tr>
                <th scope="col">Plan</th>
                <th scope="col">Version</th>
                <th scope="col">Events</th>
                <th scope="col">Sources</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {plans.map((p) => (
                <tr key={p.id} data-plan-id={p.id}>
                  <td>
                    <Link to={planPath(p.id)}>{p.name}</Link>
                    {p.description && <div className="muted">{p.description}</div>}
                  </td>
                  <td>v{p.version}</td>
                  <td>{p.rules.filter((r) => r.type === 'TRACK').length}</td>
                  <td>{p.sourceIds.length === 0 ? <span className="muted">none</span> : p.sourceIds.map(sourceName).join(', ')}</td>
                  <td>{formatDateTime(p.updatedAt).slice(0, 16)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <div className="plan-panels">
          <ImportPanel />
          <InferPanel />
        </div>
      </div>
    </section>
  )
}

function NewPlan() {
  const draft = usePlans((s) => s.draft)
  return (
    <section className="screen plans-screen" aria-labelledby="plan-title">
      <header className="screen-header">
        <h1 id="plan-title">{draft ? 'Review draft plan' : 'New tracking plan'}</h1>
        <p className="muted screen-intro">
          <Link to={PLANS_PATH}>All plans</Link>
        </p>
      </header>
      <PlanEditor key={draft ? draft.origin : 'blank'} plan={null} origin={draft?.origin} start={{ name: draft?.name ?? '', description: draft?.description ?? '', rules: draft?.rules ?? [], sourceIds: [] }} />
    </section>
  )
}

function EditPlan({ id }: { id: number }) {
  const [plan, setPlan] = useState<TrackingPlan | null>(null)
  const [error, setError] = useState<string | null>(null)
  const listed = usePlans((s) => s.plans.find((p) => p.id === id))

  useEffect(() => {
    const abort = new AbortController()
    api.getPlan(id, abort.signal).then(setPlan, (e) => !abort.signal.aborted && setError(errorMessage(e)))
    return () => abort.abort()
  }, [id])

  // After a save the list holds the saved plan: the editor compares against it, keeping what is typed.
  const current = listed && plan && listed.updatedAt >= plan.updatedAt ? listed : plan
  return (
    <section className="screen plans-screen" aria-labelledby="plan-title">
      <header className="screen-header">
        <h1 id="plan-title">{current ? current.name : 'Tracking plan'}</h1>
        <p className="muted screen-intro">
          <Link to={PLANS_PATH}>All plans</Link>
        </p>
      </header>
      <FormError message={error} />
      {current && <PlanEditor key={current.id} plan={current} start={{ name: current.name, description: current.description, rules: current.rules, sourceIds: current.sourceIds }} />}
    </section>
  )
}
