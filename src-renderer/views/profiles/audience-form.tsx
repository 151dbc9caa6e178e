// Creates or edits an audience: conditions matched all or any, and where entering and leaving go (as
// identify and/or Audience Entered / Exited events of a source). The preview counts the members it would
// have now.

import { useState, type FormEvent } from 'react'
import type { Audience, ComputedTrait } from '../../../src-shared/identity'
import { api } from '../../api/client'
import { FormError } from '../../components/form-error'
import { useIdentity } from '../../state/identity-store'
import { useSources } from '../../state/sources-store'
import { ConditionRow } from './condition-row'
import { audienceDefinition, audienceDraftOf, EMPTY_AUDIENCE, missingInAudience, NEW_CONDITION, withoutName, type AudienceDraft, type ConditionDraft } from './drafts'
import { Field, fieldProps } from './field'
import { messageFor, refusalOf, type FormRefusal } from './field-errors'
import { LivePreview } from './live-preview'
import { usePreview } from './use-preview'
import { FormFooter } from './form-footer'

const askPreview = (draft: AudienceDraft, signal: AbortSignal) => api.previewAudience(withoutName(audienceDefinition(draft)), signal)
const FORM_FIELDS = ['name', 'match', 'sourceId', 'emitIdentify', 'emitTrack']

export function AudienceForm({ editing, traits, onDone }: { editing: Audience | null; traits: readonly ComputedTrait[]; onDone(): void }) {
  const sources = useSources((s) => s.sources)
  const [draft, setDraft] = useState<AudienceDraft>(editing ? audienceDraftOf(editing) : EMPTY_AUDIENCE)
  const [refusal, setRefusal] = useState<FormRefusal | null>(null)
  const [busy, setBusy] = useState(false)
  const [saved, setSaved] = useState<string | null>(null)
  const preview = usePreview(draft, askPreview, missingInAudience(draft))

  const set = (patch: Partial<AudienceDraft>): void => {
    setDraft({ ...draft, ...patch })
    setSaved(null)
  }
  const setCondition = (index: number, next: ConditionDraft): void => set({ conditions: draft.conditions.map((c, i) => (i === index ? next : c)) })

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    setBusy(true)
    setRefusal(null)
    try {
      const body = audienceDefinition(draft)
      const audience = editing ? await api.updateAudience(editing.id, body) : await api.createAudience(body)
      setSaved(`Saved “${audience.name}” as ${audience.key}.`)
      await useIdentity.getState().loadAudiences()
      if (editing) onDone()
      else setDraft(EMPTY_AUDIENCE)
    } catch (e) {
      setRefusal(refusalOf(e))
    } finally {
      setBusy(false)
    }
  }

  const rowError = (i: number): string | null => messageFor(refusal, `conditions[${i}]`)
  const onField = refusal?.field && (FORM_FIELDS.includes(refusal.field) || /^conditions(\[\d+\].*)?$/.test(refusal.field))
  const general = refusal && !onField ? refusal.message : null
  const noSource = draft.sourceId === ''

  return (
    <form className="form-section builder-form" aria-labelledby="audience-form-title" onSubmit={(e) => void submit(e)}>
      <h2 id="audience-form-title">{editing ? `Edit “${editing.name}”` : 'New audience'}</h2>
      <div className="builder">
        <div className="builder-fields wide">
          <Field label="Name" id="audience-name" error={messageFor(refusal, 'name')}>
            <input className="input" name="name" value={draft.name} onChange={(e) => set({ name: e.target.value })} placeholder="Big spenders" required {...fieldProps('audience-name', messageFor(refusal, 'name'))} />
          </Field>
          <fieldset className="conditions">
            <legend className="form-label">
              Profiles matching{' '}
              <select className="input narrow-select" aria-label="Match" value={draft.match} onChange={(e) => set({ match: e.target.value as AudienceDraft['match'] })}>
                <option value="all">all</option>
                <option value="any">any</option>
              </select>{' '}
              of these conditions
            </legend>
            <ol className="plain-list condition-list">
              {draft.conditions.map((c, i) => (
                <ConditionRow
                  key={i}
                  index={i}
                  draft={c}
                  traits={traits}
                  error={rowError(i)}
                  onChange={(next) => setCondition(i, next)}
                  onRemove={draft.conditions.length > 1 ? () => set({ conditions: draft.conditions.filter((_, j) => j !== i) }) : null}
                />
              ))}
            </ol>
            {refusal?.field === 'conditions' && (
              <p className="field-error" role="alert">
                {refusal.message}
              </p>
            )}
            <button type="button" className="button small" onClick={() => set({ conditions: [...draft.conditions, NEW_CONDITION.trait] })}>
              Add condition
            </button>
          </fieldset>
          <div className="inline-fields align-end">
            <Field label="Send entering and leaving as events of" id="audience-source" error={messageFor(refusal, 'sourceId')}>
              <select className="input source-picker" name="sourceId" value={draft.sourceId} onChange={(e) => set({ sourceId: e.target.value })} {...fieldProps('audience-source', messageFor(refusal, 'sourceId'))}>
                <option value="">Not sent</option>
                {sources.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
            </Field>
            <label className="checkbox-label">
              <input type="checkbox" checked={draft.emitIdentify} disabled={noSource} onChange={(e) => set({ emitIdentify: e.target.checked })} />
              identify (trait true / false)
            </label>
            <label className="checkbox-label">
              <input type="checkbox" checked={draft.emitTrack} disabled={noSource} onChange={(e) => set({ emitTrack: e.target.checked })} />
              Audience Entered / Exited tracks
            </label>
          </div>
        </div>
        <LivePreview state={preview} what="member" />
      </div>
      <FormError message={general} />
      <FormFooter saved={saved} onCancel={editing ? onDone : undefined} busy={busy} submitLabel={editing ? 'Save changes' : 'Create audience'} />
    </form>
  )
}
