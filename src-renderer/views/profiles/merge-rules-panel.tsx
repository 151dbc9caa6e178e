// Merge rules (Segment Unify's identity resolution settings): which payload paths are external ids, values
// that never identify anyone, how many identifiers of a kind one profile may hold (a second user_id is
// refused: two people on one device stay apart), and which kinds win. New rules apply to events from now
// on; "Save and rebuild" re-reads the whole history under them, after asking.

import { useEffect, useState, type FormEvent } from 'react'
import { ConfirmDialog } from '../../components/confirm-dialog'
import { FormError } from '../../components/form-error'
import { useIdentity } from '../../state/identity-store'
import { messageFor, refusalOf, type FormRefusal } from './field-errors'
import { mergeRulesDraftOf, mergeRulesOf, moved, type MergeRulesDraft } from './merge-rules-draft'

export function MergeRulesPanel() {
  const settings = useIdentity((s) => s.settings)
  const [draft, setDraft] = useState<MergeRulesDraft | null>(null)

  useEffect(() => void useIdentity.getState().loadSettings(), [])
  useEffect(() => {
    if (settings && !draft) setDraft(mergeRulesDraftOf(settings))
  }, [settings, draft])

  if (!draft) return <p className="muted loading">Loading merge rules…</p>
  return <MergeRulesForm draft={draft} onDraft={setDraft} />
}

function MergeRulesForm({ draft, onDraft }: { draft: MergeRulesDraft; onDraft(next: MergeRulesDraft): void }) {
  const [refusal, setRefusal] = useState<FormRefusal | null>(null)
  const [busy, setBusy] = useState(false)
  const [saved, setSaved] = useState<string | null>(null)
  const [confirming, setConfirming] = useState(false)
  const [newKind, setNewKind] = useState('')

  const set = (patch: Partial<MergeRulesDraft>): void => {
    onDraft({ ...draft, ...patch })
    setSaved(null)
  }
  const err = (field: string): string | null => messageFor(refusal, field)
  const fieldError = (field: string) => {
    const message = err(field)
    return message ? (
      <p className="field-error" role="alert">
        {message}
      </p>
    ) : null
  }

  const save = async (rebuild: boolean): Promise<void> => {
    setBusy(true)
    setRefusal(null)
    try {
      const next = await useIdentity.getState().saveSettings(mergeRulesOf(draft), rebuild)
      onDraft(mergeRulesDraftOf(next))
      setSaved(rebuild ? 'Saved. Rebuilding profiles from history…' : 'Saved. The rules apply to events from now on.')
      setConfirming(false)
    } catch (e) {
      setRefusal(refusalOf(e))
      setConfirming(false)
    } finally {
      setBusy(false)
    }
  }
  const submit = (event: FormEvent): void => {
    event.preventDefault()
    void save(false)
  }

  const known = ['enabled', 'externalIds', 'blockedValues', 'blockZeroIds', 'limits', 'defaultLimit', 'priority']
  const general = refusal && !(refusal.field && known.some((k) => refusal.field === k || refusal.field!.startsWith(`${k}.`) || refusal.field!.startsWith(`${k}[`))) ? refusal.message : null
  const kinds = ['user_id', 'anonymous_id', ...draft.externalIds.map((e) => e.kind.trim()).filter((k) => k !== '')]

  return (
    <form className="profiles-panel merge-rules" aria-label="Merge rules" onSubmit={submit}>
      <fieldset className="form-section">
        <legend>Identity resolution</legend>
        <label className="checkbox-label">
          <input type="checkbox" name="enabled" checked={draft.enabled} onChange={(e) => set({ enabled: e.target.checked })} />
          Resolve identities: add events to profiles and merge profiles that share an identifier
        </label>
        {fieldError('enabled')}
      </fieldset>

      <fieldset className="form-section">
        <legend>External ids</legend>
        <p className="muted panel-intro">Besides user_id and anonymous_id: a kind of identifier read from the first of these dotted paths that holds a string.</p>
        <ul className="plain-list rule-rows" aria-label="External ids">
          {draft.externalIds.map((rule, i) => (
            <li key={i}>
              <div className="inline-fields">
                <input
                  className="input rule-kind mono"
                  aria-label={`External id ${i + 1} kind`}
                  value={rule.kind}
                  placeholder="phone"
                  aria-invalid={err(`externalIds[${i}].kind`) ? true : undefined}
                  onChange={(e) => set({ externalIds: draft.externalIds.map((r, j) => (j === i ? { ...r, kind: e.target.value } : r)) })}
                />
                <input
                  className="input grow mono"
                  aria-label={`External id ${i + 1} paths`}
                  value={rule.paths}
                  placeholder="traits.phone, context.traits.phone"
                  spellCheck={false}
                  aria-invalid={err(`externalIds[${i}].paths`) ? true : undefined}
                  onChange={(e) => set({ externalIds: draft.externalIds.map((r, j) => (j === i ? { ...r, paths: e.target.value } : r)) })}
                />
                <button type="button" className="button small ghost" aria-label={`Remove external id ${i + 1}`} onClick={() => set({ externalIds: draft.externalIds.filter((_, j) => j !== i) })}>
                  Remove
                </button>
              </div>
              {fieldError(`externalIds[${i}]`)}
            </li>
          ))}
        </ul>
        {fieldError('externalIds')}
        <button type="button" className="button small" onClick={() => set({ externalIds: [...draft.externalIds, { kind: '', paths: '' }] })}>
          Add external id
        </button>
      </fieldset>

      <fieldset className="form-section">
        <legend>Blocked values</legend>
        <div className="two-columns">
          <label className="form-row">
            <span className="form-label">Values that never identify anyone (one a line, any case)</span>
            <textarea className="input textarea mono" name="blockedValues" rows={5} value={draft.blockedValues} aria-invalid={err('blockedValues') ? true : undefined} onChange={(e) => set({ blockedValues: e.target.value })} />
            {fieldError('blockedValues')}
          </label>
          <label className="checkbox-label align-top">
            <input type="checkbox" name="blockZeroIds" checked={draft.blockZeroIds} onChange={(e) => set({ blockZeroIds: e.target.checked })} />
            <span>
              Also block values made only of zeros and dashes (<code>0</code>, <code>00000000-0000-…</code>)
            </span>
          </label>
        </div>
      </fieldset>

      <fieldset className="form-section">
        <legend>Limits</legend>
        <p className="muted panel-intro">The most identifiers of a kind one profile may hold. A link that would pass a limit is refused and logged: with user_id 1, two people on one device stay apart.</p>
        <ul className="plain-list rule-rows" aria-label="Limits">
          {draft.limits.map((l, i) => (
            <li key={i}>
              <div className="inline-fields">
                <input
                  className="input rule-kind mono"
                  aria-label={`Limit ${i + 1} kind`}
                  value={l.kind}
                  placeholder="email"
                  onChange={(e) => set({ limits: draft.limits.map((r, j) => (j === i ? { ...r, kind: e.target.value } : r)) })}
                />
                <input
                  className="input tiny"
                  aria-label={`Limit of ${l.kind || `row ${i + 1}`}`}
                  inputMode="numeric"
                  value={l.limit}
                  aria-invalid={err(`limits.${l.kind.trim()}`) ? true : undefined}
                  onChange={(e) => set({ limits: draft.limits.map((r, j) => (j === i ? { ...r, limit: e.target.value } : r)) })}
                />
                <button type="button" className="button small ghost" aria-label={`Remove limit ${i + 1}`} onClick={() => set({ limits: draft.limits.filter((_, j) => j !== i) })}>
                  Remove
                </button>
              </div>
              {l.kind.trim() !== '' && fieldError(`limits.${l.kind.trim()}`)}
            </li>
          ))}
        </ul>
        {refusal?.field === 'limits' && fieldError('limits')}
        <div className="inline-fields">
          <button type="button" className="button small" onClick={() => set({ limits: [...draft.limits, { kind: '', limit: '5' }] })}>
            Add limit
          </button>
          <label className="inline-fields">
            <span className="form-label">Any other kind</span>
            <input className="input tiny" name="defaultLimit" aria-label="Default limit" inputMode="numeric" value={draft.defaultLimit} aria-invalid={err('defaultLimit') ? true : undefined} onChange={(e) => set({ defaultLimit: e.target.value })} />
          </label>
        </div>
        {fieldError('defaultLimit')}
      </fieldset>

      <fieldset className="form-section">
        <legend>Priority</legend>
        <p className="muted panel-intro">When identifiers of one event disagree, the highest kind decides the profile. Kinds not listed follow, alphabetically.</p>
        <ol className="priority-list" aria-label="Priority">
          {draft.priority.map((kind, i) => (
            <li key={kind}>
              <code>{kind}</code>
              <span className="priority-actions">
                <button type="button" className="button small ghost" aria-label={`Move ${kind} up`} disabled={i === 0} onClick={() => set({ priority: moved(draft.priority, i, -1) })}>
                  ↑
                </button>
                <button type="button" className="button small ghost" aria-label={`Move ${kind} down`} disabled={i === draft.priority.length - 1} onClick={() => set({ priority: moved(draft.priority, i, 1) })}>
                  ↓
                </button>
                <button type="button" className="button small ghost" aria-label={`Remove ${kind} from priority`} onClick={() => set({ priority: draft.priority.filter((k) => k !== kind) })}>
                  Remove
                </button>
              </span>
            </li>
          ))}
        </ol>
        <div className="inline-fields">
          <select className="input rule-kind" aria-label="Kind to add to priority" value={newKind} onChange={(e) => setNewKind(e.target.value)}>
            <option value="">Add a kind…</option>
            {kinds
              .filter((k) => !draft.priority.includes(k))
              .map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
          </select>
          <button
            type="button"
            className="button small"
            disabled={newKind === ''}
            onClick={() => {
              set({ priority: [...draft.priority, newKind] })
              setNewKind('')
            }}
          >
            Add
          </button>
        </div>
        {fieldError('priority')}
      </fieldset>

      <FormError message={general} />
      <div className="form-footer">
        {saved && (
          <p className="saved-note" role="status">
            {saved}
          </p>
        )}
        <button type="button" className="button" disabled={busy} onClick={() => setConfirming(true)}>
          Save and rebuild from history
        </button>
        <button type="submit" className="button primary" disabled={busy}>
          {busy && !confirming ? 'Saving…' : 'Save'}
        </button>
      </div>
      <ConfirmDialog open={confirming} title="Rebuild every profile from history?" confirmLabel="Save and rebuild" busy={busy} onConfirm={() => void save(true)} onCancel={() => setConfirming(false)}>
        <p>All profiles are built again from the stored events under these rules: merges can be undone or added, and profile ids change. Audience changes are not sent until the rebuild has caught up.</p>
      </ConfirmDialog>
    </form>
  )
}
