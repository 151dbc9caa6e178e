// Merge rules (Segment Unify's identity resolution settings): which payload paths are external ids, values
// that never identify anyone, how many identifiers of a kind one profile may hold (a second user_id is
// refused: two people on one device stay apart), and which kinds win. New rules apply to events from now
// on; "Save and rebuild" re-reads the whole history under them, after asking, and says when it is done.
// A refusal shows once, at the field it names; the form catches what the engine would refuse before sending.

import { useEffect, useState, type FormEvent } from 'react'
import { ConfirmDialog } from '../../components/confirm-dialog'
import { FormError } from '../../components/form-error'
import { useIdentity } from '../../state/identity-store'
import { messageFor, refusalOf, type FormRefusal } from './field-errors'
import { mergeRulesDraftOf, mergeRulesOf, mergeRulesProblem, moved, type MergeRulesDraft } from './merge-rules-draft'

const REBUILD_POLL_MS = 1000
const REBUILDING = 'Saved. Rebuilding profiles from history…'
const REBUILT = 'Rebuilt: every profile was built again from history under these rules.'

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
  const [rebuilding, setRebuilding] = useState(false)

  // Asks the engine (through the status line's store, so that line follows too) until the rebuild is done.
  useEffect(() => {
    if (!rebuilding) return
    let timer: ReturnType<typeof setTimeout> | undefined
    let stopped = false
    const check = async (): Promise<void> => {
      const status = await useIdentity.getState().loadStatus()
      if (stopped) return
      if (status && !status.rebuilding) {
        setRebuilding(false)
        setSaved((note) => (note === REBUILDING ? REBUILT : note))
      } else timer = setTimeout(() => void check(), REBUILD_POLL_MS)
    }
    void check()
    return () => {
      stopped = true
      clearTimeout(timer)
    }
  }, [rebuilding])

  const set = (patch: Partial<MergeRulesDraft>): void => {
    onDraft({ ...draft, ...patch })
    setSaved(null)
  }
  const err = (field: string): string | null => messageFor(refusal, field)
  /** Only a refusal of the field itself, not of something under it that shows at its own row. */
  const exact = (field: string): string | null => (refusal?.field === field ? refusal.message : null)
  const errorLine = (message: string | null) =>
    message ? (
      <p className="field-error" role="alert">
        {message}
      </p>
    ) : null
  /** The refusal of a field or of anything under it. */
  const fieldError = (field: string) => errorLine(err(field))

  const save = async (rebuild: boolean): Promise<void> => {
    const problem = mergeRulesProblem(draft)
    setRefusal(problem)
    if (problem) {
      setConfirming(false)
      return
    }
    setBusy(true)
    try {
      const next = await useIdentity.getState().saveSettings(mergeRulesOf(draft), rebuild)
      onDraft(mergeRulesDraftOf(next))
      setSaved(rebuild ? REBUILDING : 'Saved. The rules apply to events from now on.')
      setRebuilding(rebuild)
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

  const limitKinds = draft.limits.map((l) => l.kind.trim())
  const limitRowError = (i: number): string | null => err(`limits[${i}]`) ?? (limitKinds[i] ? err(`limits.${limitKinds[i]}`) : null)
  const shownAtField = (field: string): boolean =>
    ['enabled', 'externalIds', 'limits', 'defaultLimit', 'priority'].includes(field) ||
    /^(blockedValues|priority)\b/.test(field) ||
    draft.externalIds.some((_, i) => messageFor({ field, message: '' }, `externalIds[${i}]`) !== null) ||
    draft.limits.some((_, i) => limitRowError(i) !== null)
  const general = refusal && !(refusal.field && shownAtField(refusal.field)) ? refusal.message : null
  const kinds = ['user_id', 'anonymous_id', ...draft.externalIds.map((e) => e.kind.trim()).filter((k) => k !== '')]

  return (
    <form className="profiles-panel merge-rules" aria-label="Merge rules" onSubmit={submit}>
      <fieldset className="form-section">
        <legend>Identity resolution</legend>
        <label className="checkbox-label">
          <input type="checkbox" name="enabled" checked={draft.enabled} onChange={(e) => set({ enabled: e.target.checked })} />
          Resolve identities: add events to profiles and merge profiles that share an identifier
        </label>
        {errorLine(exact('enabled'))}
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
        {errorLine(exact('externalIds'))}
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
                  aria-invalid={exact(`limits[${i}].kind`) ? true : undefined}
                  onChange={(e) => set({ limits: draft.limits.map((r, j) => (j === i ? { ...r, kind: e.target.value } : r)) })}
                />
                <input
                  className="input tiny"
                  aria-label={`Limit of ${l.kind || `row ${i + 1}`}`}
                  inputMode="numeric"
                  value={l.limit}
                  aria-invalid={exact(`limits[${i}].limit`) || (l.kind.trim() !== '' && exact(`limits.${l.kind.trim()}`)) ? true : undefined}
                  onChange={(e) => set({ limits: draft.limits.map((r, j) => (j === i ? { ...r, limit: e.target.value } : r)) })}
                />
                <button type="button" className="button small ghost" aria-label={`Remove limit ${i + 1}`} onClick={() => set({ limits: draft.limits.filter((_, j) => j !== i) })}>
                  Remove
                </button>
              </div>
              {errorLine(limitRowError(i))}
            </li>
          ))}
        </ul>
        {errorLine(exact('limits'))}
        <div className="inline-fields">
          <button type="button" className="button small" onClick={() => set({ limits: [...draft.limits, { kind: '', limit: '5' }] })}>
            Add limit
          </button>
          <label className="inline-fields">
            <span className="form-label">Any other kind</span>
            <input className="input tiny" name="defaultLimit" aria-label="Default limit" inputMode="numeric" value={draft.defaultLimit} aria-invalid={err('defaultLimit') ? true : undefined} onChange={(e) => set({ defaultLimit: e.target.value })} />
          </label>
        </div>
        {errorLine(exact('defaultLimit'))}
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
