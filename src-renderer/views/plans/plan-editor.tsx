// The plan editor: name, rules (TRACK events and the other rule types), connected sources, then save.
// Used for a saved plan (each save makes a version) and for a draft from an import or inference.

import { useMemo, useState } from 'react'
import type { PlanRule, PlanRuleType, TrackingPlan } from '../../../src-shared/plans'
import { api } from '../../api/client'
import { errorMessage } from '../../api/api-error'
import { Link } from '../../components/link'
import { planPath, planVersionsPath, usePlans } from '../../state/plans-store'
import { useRouter } from '../../state/router-store'
import { planFileName, ruleLabel, toPlanFile } from './plan-file'
import { RevalidatePanel } from './revalidate-panel'
import { RulePane } from './rule-pane'
import { emptyRuleSchema, sectionOf } from './rule-table'
import { SourcesConnect } from './sources-connect'
import { FormError } from '../../components/form-error'

export interface EditorStart {
  name: string
  description: string
  rules: PlanRule[]
  sourceIds: number[]
}

const OTHER_TYPES: PlanRuleType[] = ['COMMON', 'IDENTIFY', 'GROUP', 'PAGE', 'SCREEN']

export function PlanEditor({ plan, start, origin }: { plan: TrackingPlan | null; start: EditorStart; origin?: string }) {
  const navigate = useRouter((s) => s.navigate)
  const [name, setName] = useState(start.name)
  const [description, setDescription] = useState(start.description)
  const [rules, setRules] = useState(start.rules)
  const [sourceIds, setSourceIds] = useState(start.sourceIds)
  const [selected, setSelected] = useState(0)
  const [invalid, setInvalid] = useState<Set<number>>(new Set())
  const [newEvent, setNewEvent] = useState('')
  const [note, setNote] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [saved, setSaved] = useState<string | null>(null)

  const order = useMemo(() => rules.map((r, i) => ({ rule: r, index: i })).sort((a, b) => rank(a.rule) - rank(b.rule) || ruleLabel(a.rule).localeCompare(ruleLabel(b.rule))), [rules])
  const keyProblem = duplicateKey(rules)
  const canSave = name.trim() !== '' && invalid.size === 0 && keyProblem === null && !busy

  const setValidity = (index: number, valid: boolean): void =>
    setInvalid((prev) => {
      if (valid === !prev.has(index)) return prev
      const next = new Set(prev)
      if (valid) next.delete(index)
      else next.add(index)
      return next
    })
  const changeRule = (index: number, rule: PlanRule): void => setRules((prev) => prev.map((r, i) => (i === index ? rule : r)))
  const addRule = (rule: PlanRule): void => {
    setRules((prev) => [...prev, rule])
    setSelected(rules.length)
  }
  const removeRule = (index: number): void => {
    setRules((prev) => prev.filter((_, i) => i !== index))
    setInvalid(new Set())
    setSelected(0)
  }

  const save = async (): Promise<void> => {
    setBusy(true)
    setError(null)
    setSaved(null)
    try {
      let result: TrackingPlan
      if (plan) {
        const rulesChanged = JSON.stringify(rules) !== JSON.stringify(plan.rules)
        const sourcesChanged = JSON.stringify([...sourceIds].sort()) !== JSON.stringify([...plan.sourceIds].sort())
        result = await api.updatePlan(plan.id, {
          ...(name !== plan.name ? { name } : {}),
          ...(description !== plan.description ? { description } : {}),
          ...(rulesChanged ? { rules } : {}),
          ...(rulesChanged && note.trim() ? { note: note.trim() } : {}),
          ...(sourcesChanged ? { sourceIds } : {})
        })
      } else {
        result = await api.createPlan({ name, description, rules, sourceIds })
      }
      usePlans.getState().upsert(result)
      usePlans.getState().setDraft(null)
      setNote('')
      setSaved(`Saved as version ${result.version}`)
      if (!plan) navigate(planPath(result.id))
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }

  const download = (): void => {
    const file = toPlanFile({ name, description, rules })
    const url = URL.createObjectURL(new Blob([JSON.stringify(file, null, 2)], { type: 'application/json' }))
    const a = document.createElement('a')
    a.href = url
    a.download = planFileName(name, plan?.version ?? 0)
    a.click()
    setTimeout(() => URL.revokeObjectURL(url), 1000)
  }

  const current = rules[selected]
  return (
    <div className="plan-editor" aria-label="Plan editor" role="form">
      {origin && <p className="draft-origin">{origin}: review, then save.</p>}
      <div className="plan-meta">
        <label className="inline-label">
          Name
          <input className="input" aria-label="Plan name" value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label className="inline-label grow">
          Description
          <input className="input" aria-label="Plan description" value={description} onChange={(e) => setDescription(e.target.value)} />
        </label>
        {plan && (
          <span className="muted" data-plan-version={plan.version}>
            Version {plan.version} · <Link to={planVersionsPath(plan.id)}>Versions and diff</Link>
          </span>
        )}
      </div>
      <div className="plan-body">
        <nav className="rule-list" aria-label="Rules">
          <ul>
            {order.map(({ rule, index }) => (
              <li key={index}>
                <button type="button" className={index === selected ? 'active' : ''} aria-current={index === selected ? 'true' : undefined} onClick={() => setSelected(index)}>
                  <span className={`type-badge type-${rule.type === 'COMMON' ? 'alias' : rule.type.toLowerCase()}`}>{rule.type.toLowerCase()}</span> {ruleLabel(rule)}
                  {invalid.has(index) && <span className="badge danger"> invalid</span>}
                </button>
              </li>
            ))}
          </ul>
          {rules.length === 0 && <p className="muted">No rules yet.</p>}
          <form
            className="add-event"
            onSubmit={(e) => {
              e.preventDefault()
              const key = newEvent.trim()
              if (key === '') return
              addRule({ type: 'TRACK', key, jsonSchema: emptyRuleSchema('properties') })
              setNewEvent('')
            }}
          >
            <input className="input" aria-label="New event name" placeholder="Order Completed" value={newEvent} onChange={(e) => setNewEvent(e.target.value)} />
            <button type="submit" className="button small">
              Add event
            </button>
          </form>
          <div className="add-other">
            {OTHER_TYPES.filter((t) => !rules.some((r) => r.type === t)).map((t) => (
              <button key={t} type="button" className="link-button" onClick={() => addRule({ type: t, jsonSchema: t === 'COMMON' ? { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object' } : emptyRuleSchema(sectionOf(t)!) })}>
                + {ruleLabel({ type: t })}
              </button>
            ))}
          </div>
        </nav>
        <div className="rule-detail">
          {current ? (
            <>
              <RulePane key={selected} rule={current} onChange={(r) => changeRule(selected, r)} onValidity={(v) => setValidity(selected, v)} />
              <button type="button" className="button small ghost danger-text" onClick={() => removeRule(selected)}>
                Remove rule
              </button>
            </>
          ) : (
            <p className="empty-state">Add an event on the left, or import a plan.</p>
          )}
        </div>
      </div>
      <SourcesConnect planId={plan?.id ?? null} value={sourceIds} onChange={setSourceIds} />
      <footer className="plan-actions">
        {plan && <input className="input grow" aria-label="Change note" placeholder="What changed (kept with the version)" value={note} onChange={(e) => setNote(e.target.value)} />}
        <button type="button" className="button primary" disabled={!canSave} onClick={() => void save()}>
          {plan ? 'Save plan' : 'Create plan'}
        </button>
        {plan ? (
          <a className="button" href={api.exportPlanUrl(plan.id)} download title="Segment’s tracking plan JSON of the saved version">
            Export JSON
          </a>
        ) : (
          <button type="button" className="button" onClick={download}>
            Export JSON
          </button>
        )}
        {keyProblem && <span className="form-error">{keyProblem}</span>}
        <FormError message={error} inline />
        {saved && (
          <span className="saved" role="status">
            {saved}
          </span>
        )}
      </footer>
      {plan && <RevalidatePanel plan={plan} />}
    </div>
  )
}

function rank(rule: PlanRule): number {
  return rule.type === 'TRACK' ? 1 : rule.type === 'COMMON' ? 0 : 2
}

function duplicateKey(rules: PlanRule[]): string | null {
  const seen = new Set<string>()
  for (const r of rules) {
    if (r.type !== 'TRACK') continue
    const key = r.key ?? ''
    if (key.trim() === '') return 'An event rule needs a name'
    if (seen.has(key)) return `The event “${key}” has two rules`
    seen.add(key)
  }
  return null
}
