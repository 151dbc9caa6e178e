// Computed traits: the list (computing from history or live, how many profiles have a value) and the form
// that creates or edits one, with a live preview. Deleting asks first; the engine refuses while an
// audience uses the trait.

import type { ComputedTrait } from '../../../src-shared/identity'
import { api } from '../../api/client'
import { formatCount } from '../../format/numbers'
import { useIdentity } from '../../state/identity-store'
import { DeleteDefinitionDialog } from './delete-definition-dialog'
import { DefinitionActions } from './definition-actions'
import { useDefinitionList } from './use-definition-list'
import { TraitForm } from './trait-form'
import { traitComputes } from './describe'

export function ComputedTraitsPanel() {
  const traits = useIdentity((s) => s.traits)
  const list = useDefinitionList<ComputedTrait>(
    () => useIdentity.getState().loadTraits(),
    (id) => api.deleteComputedTrait(id)
  )

  return (
    <div className="profiles-panel">
      <p className="panel-intro muted">A value per profile computed from its events — a count, a sum, the first or last value of a property — kept up to date as events arrive. It shows on the profile and audiences can use it.</p>
      {traits === null ? (
        <p className="muted loading">Loading computed traits…</p>
      ) : traits.length === 0 ? (
        <p className="empty-state">No computed traits yet.</p>
      ) : (
        <table className="data-table profiles-table" aria-label="Computed traits">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Computes</th>
              <th scope="col">Window</th>
              <th scope="col">State</th>
              <th scope="col" className="num">
                Profiles
              </th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {traits.map((t) => (
              <tr key={t.id} data-trait-key={t.key} className={list.editing?.id === t.id ? 'editing' : undefined}>
                <th scope="row">
                  {t.name} <code className="muted">{t.key}</code>
                </th>
                <td>
                  <TraitComputes trait={t} />
                </td>
                <td>{t.windowDays === null ? 'all time' : `last ${t.windowDays} days`}</td>
                <td>
                  <span className={`state-badge state-${t.state}`}>{t.state}</span>
                </td>
                <td className="num">{formatCount(t.profiles)}</td>
                <DefinitionActions<ComputedTrait> item={t} list={list} />
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <TraitForm key={list.editing?.id ?? 'new'} editing={list.editing} onDone={() => list.setEditing(null)} />
      <DeleteDefinitionDialog list={list}>
        <p>Its values disappear from every profile.</p>
      </DeleteDefinitionDialog>
    </div>
  )
}

function TraitComputes({ trait }: { trait: ComputedTrait }) {
  return (
    <>
      {traitComputes(trait).map((part, i) => (part.as === 'code' ? <code key={i}>{part.text}</code> : part.as === 'strong' ? <strong key={i}>{part.text}</strong> : <span key={i}>{part.text}</span>))}
    </>
  )
}
