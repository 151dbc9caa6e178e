// Creates or edits a computed trait: what to compute (count, sum, min, max, first, last), over which event
// and property, within how many days; the preview beside it counts the profiles it would give now.

import { useState, type FormEvent } from 'react'
import { COMPUTED_TRAIT_TYPES, type ComputedTrait, type ComputedTraitType } from '../../../src-shared/identity'
import { api } from '../../api/client'
import { FormError } from '../../components/form-error'
import { useIdentity } from '../../state/identity-store'
import { EMPTY_TRAIT, traitDefinition, traitDraftOf, withoutName, type TraitDraft } from './drafts'
import { Field, fieldProps } from './field'
import { messageFor, refusalOf, type FormRefusal } from './field-errors'
import { LivePreview } from './live-preview'
import { usePreview } from './use-preview'
import { FormFooter } from './form-footer'

const TYPE_HELP: Record<ComputedTraitType, string> = {
  count: 'how many events',
  sum: 'total of a number',
  min: 'smallest number',
  max: 'largest number',
  first: 'earliest value',
  last: 'latest value'
}

const askPreview = (draft: TraitDraft, signal: AbortSignal) => api.previewComputedTrait(withoutName(traitDefinition(draft)), signal)

export function TraitForm({ editing, onDone }: { editing: ComputedTrait | null; onDone(): void }) {
  const [draft, setDraft] = useState<TraitDraft>(editing ? traitDraftOf(editing) : EMPTY_TRAIT)
  const [refusal, setRefusal] = useState<FormRefusal | null>(null)
  const [busy, setBusy] = useState(false)
  const [saved, setSaved] = useState<string | null>(null)
  const preview = usePreview(draft, askPreview)

  const set = (patch: Partial<TraitDraft>): void => {
    setDraft({ ...draft, ...patch })
    setSaved(null)
  }
  const errorOf = (field: keyof TraitDraft): string | null => messageFor(refusal, field)

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    setBusy(true)
    setRefusal(null)
    try {
      const body = traitDefinition(draft)
      const trait = editing ? await api.updateComputedTrait(editing.id, body) : await api.createComputedTrait(body)
      setSaved(`Saved “${trait.name}” as ${trait.key}.`)
      await useIdentity.getState().loadTraits()
      if (editing) onDone()
      else setDraft(EMPTY_TRAIT)
    } catch (e) {
      setRefusal(refusalOf(e))
    } finally {
      setBusy(false)
    }
  }

  const general = refusal && (refusal.field === null || !(refusal.field in EMPTY_TRAIT)) ? refusal.message : null
  return (
    <form className="form-section builder-form" aria-labelledby="trait-form-title" onSubmit={(e) => void submit(e)}>
      <h2 id="trait-form-title">{editing ? `Edit “${editing.name}”` : 'New computed trait'}</h2>
      <div className="builder">
        <div className="builder-fields">
          <Field label="Name" id="trait-name" error={errorOf('name')}>
            <input className="input" name="name" value={draft.name} onChange={(e) => set({ name: e.target.value })} placeholder="Total revenue" required {...fieldProps('trait-name', errorOf('name'))} />
          </Field>
          <Field label="Computes" id="trait-type" error={errorOf('type')} help={TYPE_HELP[draft.type]}>
            <select className="input" name="type" value={draft.type} onChange={(e) => set({ type: e.target.value as ComputedTraitType })} {...fieldProps('trait-type', errorOf('type'), true)}>
              {COMPUTED_TRAIT_TYPES.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Event" id="trait-event" error={errorOf('event')} help="Empty: every track, page and screen">
            <input className="input" name="event" value={draft.event} onChange={(e) => set({ event: e.target.value })} placeholder="Order Completed" {...fieldProps('trait-event', errorOf('event'), true)} />
          </Field>
          <Field label="Property path" id="trait-property" error={errorOf('property')} help={draft.type === 'count' ? 'Not used by count' : 'Dotted path into the event'}>
            <input
              className="input mono"
              name="property"
              value={draft.property}
              disabled={draft.type === 'count'}
              onChange={(e) => set({ property: e.target.value })}
              placeholder="properties.revenue"
              spellCheck={false}
              {...fieldProps('trait-property', errorOf('property'), true)}
            />
          </Field>
          <Field label="Window (days)" id="trait-window" error={errorOf('windowDays')} help="Empty: all time" className="narrow-field">
            <input className="input" name="windowDays" inputMode="numeric" value={draft.windowDays} onChange={(e) => set({ windowDays: e.target.value })} placeholder="all time" {...fieldProps('trait-window', errorOf('windowDays'), true)} />
          </Field>
        </div>
        <LivePreview state={preview} what="value" />
      </div>
      <FormError message={general} />
      <FormFooter saved={saved} onCancel={editing ? onDone : undefined} busy={busy} submitLabel={editing ? 'Save changes' : 'Create computed trait'} />
    </form>
  )
}
