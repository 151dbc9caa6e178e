// Audiences: the list (computing or live, members, where changes are sent) and the form that creates or
// edits one with a live preview. Members of one open under its row.

import { useState } from 'react'
import type { Audience } from '../../../src-shared/identity'
import { api } from '../../api/client'
import { formatCount } from '../../format/numbers'
import { useIdentity } from '../../state/identity-store'
import { DeleteDefinitionDialog } from './delete-definition-dialog'
import { DefinitionActions } from './definition-actions'
import { useDefinitionList } from './use-definition-list'
import { useSources } from '../../state/sources-store'
import { AudienceForm } from './audience-form'
import { AudienceMembers } from './audience-members'
import { describeCondition } from './describe'

export function AudiencesPanel() {
  const audiences = useIdentity((s) => s.audiences)
  const traits = useIdentity((s) => s.traits) ?? []
  const sources = useSources((s) => s.sources)
  const [open, setOpen] = useState<number | null>(null)
  const list = useDefinitionList<Audience>(
    () => useIdentity.getState().loadAudiences(),
    (id) => api.deleteAudience(id),
    () => useIdentity.getState().loadTraits()
  )

  return (
    <div className="profiles-panel">
      <p className="panel-intro muted">Profiles that match conditions on their traits, computed traits and events. Entering and leaving can be sent on as events of a source, to reach its destinations.</p>
      {audiences === null ? (
        <p className="muted loading">Loading audiences…</p>
      ) : audiences.length === 0 ? (
        <p className="empty-state">No audiences yet.</p>
      ) : (
        <table className="data-table profiles-table" aria-label="Audiences">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Conditions</th>
              <th scope="col">Sent to</th>
              <th scope="col">State</th>
              <th scope="col" className="num">
                Members
              </th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          {audiences.map((a) => (
            <tbody key={a.id}>
              <tr data-audience-key={a.key} className={list.editing?.id === a.id ? 'editing' : undefined}>
                <th scope="row">
                  {a.name} <code className="muted">{a.key}</code>
                </th>
                <td className="conditions-cell">
                  <span className="muted">{a.match === 'all' ? 'all of' : 'any of'}</span>{' '}
                  {a.conditions.map((c, i) => (
                    <span key={i} className="condition-chip">
                      {describeCondition(c, (id) => traits.find((t) => t.id === id)?.name ?? `computed #${id}`)}
                    </span>
                  ))}
                </td>
                <td>{a.sourceId === null ? <span className="muted">not sent</span> : (sources.find((s) => s.id === a.sourceId)?.name ?? `source #${a.sourceId}`)}</td>
                <td>
                  <span className={`state-badge state-${a.state}`}>{a.state}</span>
                </td>
                <td className="num">
                  <button type="button" className="link-button" aria-expanded={open === a.id} onClick={() => setOpen(open === a.id ? null : a.id)}>
                    {formatCount(a.members)}
                  </button>
                </td>
                <DefinitionActions<Audience> item={a} list={list} />
              </tr>
              {open === a.id && (
                <tr className="members-row">
                  <td colSpan={6}>
                    <AudienceMembers id={a.id} />
                  </td>
                </tr>
              )}
            </tbody>
          ))}
        </table>
      )}
      <AudienceForm key={list.editing?.id ?? 'new'} editing={list.editing} traits={traits} onDone={() => list.setEditing(null)} />
      <DeleteDefinitionDialog list={list}>
        <p>Its members are forgotten; no Audience Exited is sent for them.</p>
      </DeleteDefinitionDialog>
    </div>
  )
}
