// What a source actually sends (plan or not): every event and property seen with types, counts and
// first/last seen, marked planned/unplanned against its plan; "Add to plan" writes an event into the
// connected plan (a new version), or starts a draft plan when the source has none. "Block this event"
// adds a name to the source's blocked events (enforcement): new events of that name are held in quarantine.

import { useCallback, useEffect, useState } from 'react'
import type { Source } from '../../../src-shared/api'
import type { SourceSchema } from '../../../src-shared/plans'
import { api } from '../../api/client'
import { errorMessage } from '../../api/api-error'
import { Link } from '../../components/link'
import { formatCount } from '../../format/numbers'
import { formatDateTime } from '../../format/time'
import { useEnforcement, withBlocked, withoutBlocked } from '../../state/enforcement-store'
import { planOfSource, planPath, PLANS_PATH, usePlans } from '../../state/plans-store'
import { useRouter } from '../../state/router-store'
import { rulesWithObserved } from '../plans/plan-file'
import '../plans/plans.css'
import './enforcement.css'
import { FormError } from '../../components/form-error'

type ObservedEvent = SourceSchema['events'][number]

export function SourceSchemaPanel({ source }: { source: Source }) {
  const [schema, setSchema] = useState<SourceSchema | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [open, setOpen] = useState<string | null>(null)
  const [busy, setBusy] = useState<string | null>(null)
  const plan = usePlans((s) => planOfSource(s.plans, source.id))
  const navigate = useRouter((s) => s.navigate)
  const blocked = useEnforcement((s) => s.bySource[source.id]?.blockedEvents ?? null)

  const refresh = useCallback(async (): Promise<void> => {
    try {
      setSchema(await api.sourceSchema(source.id))
      setError(null)
    } catch (e) {
      setError(errorMessage(e))
    }
  }, [source.id])

  useEffect(() => {
    void usePlans.getState().load()
    void useEnforcement.getState().load(source.id)
    void refresh()
  }, [refresh, source.id])

  const setBlocked = async (name: string, block: boolean, key: string): Promise<void> => {
    if (!blocked) return
    setBusy(key)
    setError(null)
    try {
      await useEnforcement.getState().save(source.id, { blockedEvents: block ? withBlocked(blocked, name) : withoutBlocked(blocked, name) })
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(null)
    }
  }

  const addToPlan = async (event: ObservedEvent, key: string): Promise<void> => {
    if (!plan) {
      usePlans.getState().setDraft({ name: `${source.name} plan`, description: '', rules: rulesWithObserved([], event), origin: `Started from “${event.name}” seen on ${source.name}` })
      navigate(`${PLANS_PATH}/new`)
      return
    }
    setBusy(key)
    setError(null)
    try {
      const updated = await api.updatePlan(plan.id, { rules: rulesWithObserved(plan.rules, event), note: `Added “${event.name}” from the schema of ${source.name}` })
      usePlans.getState().upsert(updated)
      await refresh()
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(null)
    }
  }

  return (
    <section className="source-schema" aria-label={`Schema of ${source.name}`}>
      <div className="toolbar">
        <span className="muted">
          {schema ? `From the ${formatCount(schema.scanned)} most recent events. ` : ''}
          {plan ? (
            <>
              Plan: <Link to={planPath(plan.id)}>{plan.name}</Link> (v{plan.version})
            </>
          ) : (
            'No tracking plan connected.'
          )}
        </span>
        <button type="button" className="button small ghost" onClick={() => void refresh()}>
          Refresh
        </button>
      </div>
      <FormError message={error} />
      {schema && schema.events.length === 0 && <p className="muted">Nothing received yet.</p>}
      {schema && schema.events.length > 0 && (
        <table className="schema-table" aria-label={`Events seen on ${source.name}`}>
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">Count</th>
              <th scope="col">First seen</th>
              <th scope="col">Last seen</th>
              <th scope="col">Plan</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          {schema.events.map((event) => {
            const key = `${event.type}\u0000${event.name ?? ''}`
            const expanded = open === key
            const isBlocked = event.type === 'track' && event.name !== null && (blocked?.includes(event.name) ?? false)
            return (
              <tbody key={key} data-event={event.name ?? event.type} data-planned={event.planned === null ? 'none' : String(event.planned)} data-blocked={isBlocked ? 'true' : undefined}>
                <tr>
                  <td>
                    <button type="button" className="link-button" aria-expanded={expanded} onClick={() => setOpen(expanded ? null : key)}>
                      <span className={`type-badge type-${event.type}`}>{event.type}</span> {event.name ?? <span className="muted">(no name)</span>}
                    </button>
                  </td>
                  <td>{formatCount(event.count)}</td>
                  <td>{formatDateTime(event.firstSeen).slice(0, 19)}</td>
                  <td>{formatDateTime(event.lastSeen).slice(0, 19)}</td>
                  <td>
                    {event.planned === null ? <span className="muted">—</span> : event.planned ? <span className="badge planned">planned</span> : <span className="badge unplanned">unplanned</span>}
                    {isBlocked && <span className="badge blocked">blocked</span>}
                  </td>
                  <td>
                    <div className="schema-actions">
                      {event.type === 'track' && event.name && (
                        <button type="button" className="button small" disabled={busy !== null} aria-label={`Add ${event.name} to plan`} onClick={() => void addToPlan(event, key)}>
                          {busy === key ? 'Adding…' : event.planned ? 'Add new properties to plan' : 'Add to plan'}
                        </button>
                      )}
                      {event.type === 'track' && event.name !== null && blocked !== null && (
                        <button
                          type="button"
                          className={`button small ${isBlocked ? '' : 'ghost danger-text'}`}
                          disabled={busy !== null}
                          aria-label={`${isBlocked ? 'Unblock' : 'Block'} ${event.name}`}
                          title={isBlocked ? 'Deliver new events of this name again' : 'Hold new events of this name in quarantine (not delivered)'}
                          onClick={() => void setBlocked(event.name!, !isBlocked, `${key}\u0000block`)}
                        >
                          {isBlocked ? 'Unblock' : 'Block this event'}
                        </button>
                      )}
                    </div>
                  </td>
                </tr>
                {expanded && (
                  <tr className="schema-properties">
                    <td colSpan={6}>
                      {event.properties.length === 0 ? (
                        <p className="muted">No properties.</p>
                      ) : (
                        <table aria-label={`Properties of ${event.name ?? event.type}`}>
                          <thead>
                            <tr>
                              <th scope="col">Path</th>
                              <th scope="col">Types</th>
                              <th scope="col">In events</th>
                              <th scope="col">Example</th>
                            </tr>
                          </thead>
                          <tbody>
                            {event.properties.map((p) => (
                              <tr key={p.path}>
                                <td>
                                  <code>{p.path}</code>
                                </td>
                                <td>{p.types.join(' | ')}</td>
                                <td>
                                  {formatCount(p.count)} of {formatCount(event.count)}
                                </td>
                                <td>
                                  <code className="example">{p.example ?? ''}</code>
                                </td>
                              </tr>
                            ))}
                          </tbody>
                        </table>
                      )}
                    </td>
                  </tr>
                )}
              </tbody>
            )
          })}
        </table>
      )}
    </section>
  )
}
