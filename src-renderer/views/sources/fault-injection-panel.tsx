// Fault injection for one source (QA): rules that make its tracking requests fail on purpose — 429 with
// Retry-After, 500/503, a delay, a dropped connection — to test an SDK's retries. Injected failures never
// store the event. Counts and the last injected failures refresh while the panel is open.

import { useCallback, useEffect, useState, type FormEvent } from 'react'
import type { Source } from '../../../src-shared/api'
import { FAULT_KINDS, FAULT_PATHS, type FaultKind, type FaultRule, type FaultsState, type UpdateFaultRuleRequest } from '../../../src-shared/faults'
import { api } from '../../api/client'
import { errorMessage } from '../../api/api-error'
import { formatClock } from '../../format/time'
import './fault-injection.css'
import { FormError } from '../../components/form-error'

const REFRESH_MS = 2000
const KIND_LABELS: Record<FaultKind, string> = {
  '429': '429 Too Many Requests + Retry-After',
  '500': '500 Internal Server Error',
  '503': '503 Service Unavailable',
  delay: 'Delay, then store normally',
  drop: 'Drop the connection (no answer)'
}

export function FaultInjectionPanel({ source }: { source: Source }) {
  const [state, setState] = useState<FaultsState | null>(null)
  const [error, setError] = useState<string | null>(null)

  const refresh = useCallback(async (): Promise<void> => {
    try {
      setState(await api.listFaults(source.id))
      setError(null)
    } catch (e) {
      setError(errorMessage(e))
    }
  }, [source.id])

  useEffect(() => {
    void refresh()
    const timer = setInterval(() => void refresh(), REFRESH_MS)
    return () => clearInterval(timer)
  }, [refresh])

  const act = async (action: () => Promise<unknown>): Promise<void> => {
    try {
      await action()
      await refresh()
    } catch (e) {
      setError(errorMessage(e))
    }
  }
  const update = (rule: FaultRule, body: UpdateFaultRuleRequest): Promise<void> => {
    // The checkbox follows the click at once; the refresh after the call shows the engine's word.
    if (body.enabled !== undefined) setState((s) => s && { ...s, rules: s.rules.map((r) => (r.id === rule.id ? { ...r, enabled: body.enabled! } : r)) })
    return act(() => api.updateFault(rule.id, body))
  }

  return (
    <section className="fault-panel" aria-label={`Fault injection for ${source.name}`}>
      <h3>Fault injection</h3>
      <p className="muted">
        Answer a share of this source’s requests with an error, a delay or a dropped connection to test your client’s retries. A failed request stores nothing; the retry delivers
        the event (duplicates are dropped by messageId). Rules live in memory until Loupe stops.
      </p>
      <FormError message={error} />
      <NewRuleForm sourceId={source.id} onCreated={refresh} />
      {state && state.rules.length > 0 && (
        <table className="attempts-table fault-rules" aria-label="Fault rules">
          <thead>
            <tr>
              <th>On</th>
              <th>Fault</th>
              <th>Path</th>
              <th className="num">Probability</th>
              <th className="num">Injected</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {state.rules.map((rule) => (
              <tr key={rule.id} data-rule-id={rule.id}>
                <td>
                  <input type="checkbox" aria-label={`Rule ${rule.id} enabled`} checked={rule.enabled} onChange={(e) => void update(rule, { enabled: e.target.checked })} />
                </td>
                <td>{describeKind(rule)}</td>
                <td>{rule.path ?? 'any tracking path'}</td>
                <td className="num">{Math.round(rule.probability * 100)} %</td>
                <td className="num">
                  {rule.injected}
                  {rule.count !== null && ` / ${rule.count}`}
                </td>
                <td className="fault-actions">
                  <button type="button" className="button small ghost" onClick={() => void update(rule, { resetInjected: true })}>
                    Reset count
                  </button>
                  <button type="button" className="button small ghost danger-text" onClick={() => void act(() => api.deleteFault(rule.id))}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {state && state.recent.length > 0 && (
        <>
          <h4>Last injected failures</h4>
          <ol className="fault-recent" aria-label="Last injected failures">
            {state.recent.map((fault, i) => (
              <li key={`${fault.at}-${i}`}>
                <span className="muted">{formatClock(fault.at)}</span> rule {fault.ruleId} · {fault.kind} · <code>{fault.path}</code>
                {fault.messageIds.length > 0 && <span className="muted"> · {fault.messageIds.slice(0, 3).join(', ')}{fault.messageIds.length > 3 ? ` +${fault.messageIds.length - 3}` : ''}</span>}
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  )
}

function describeKind(rule: FaultRule): string {
  if (rule.kind === '429') return `429, Retry-After ${rule.retryAfterSeconds ?? 1} s`
  if (rule.kind === 'delay') return `delay ${rule.delayMs ?? 0} ms`
  if (rule.kind === 'drop') return 'drop connection'
  return rule.kind
}

function NewRuleForm({ sourceId, onCreated }: { sourceId: number; onCreated(): Promise<void> }) {
  const [kind, setKind] = useState<FaultKind>('503')
  const [path, setPath] = useState('')
  const [percent, setPercent] = useState('100')
  const [count, setCount] = useState('')
  const [retryAfter, setRetryAfter] = useState('1')
  const [delayMs, setDelayMs] = useState('1000')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    setBusy(true)
    setError(null)
    try {
      // Numbers go as typed: the engine validates them and names the field it refuses.
      await api.createFault({
        sourceId,
        kind,
        path: path === '' ? null : path,
        probability: Number(percent) / 100,
        count: count.trim() === '' ? null : Number(count),
        ...(kind === '429' ? { retryAfterSeconds: Number(retryAfter) } : {}),
        ...(kind === 'delay' ? { delayMs: Number(delayMs) } : {})
      })
      await onCreated()
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <form className="fault-form" aria-label="New fault rule" onSubmit={(e) => void submit(e)}>
      <select className="input" aria-label="Fault" value={kind} onChange={(e) => setKind(e.target.value as FaultKind)}>
        {FAULT_KINDS.map((k) => (
          <option key={k} value={k}>
            {KIND_LABELS[k]}
          </option>
        ))}
      </select>
      {kind === '429' && (
        <label>
          Retry-After <input className="input narrow" type="number" min={0} aria-label="Retry-After seconds" value={retryAfter} onChange={(e) => setRetryAfter(e.target.value)} /> s
        </label>
      )}
      {kind === 'delay' && (
        <label>
          Delay <input className="input narrow" type="number" min={1} aria-label="Delay milliseconds" value={delayMs} onChange={(e) => setDelayMs(e.target.value)} /> ms
        </label>
      )}
      <select className="input" aria-label="Path" value={path} onChange={(e) => setPath(e.target.value)}>
        <option value="">any tracking path</option>
        {FAULT_PATHS.map((p) => (
          <option key={p} value={p}>
            {p}
          </option>
        ))}
      </select>
      <label>
        <input className="input narrow" type="number" min={0} max={100} aria-label="Probability percent" value={percent} onChange={(e) => setPercent(e.target.value)} /> % of requests
      </label>
      <label>
        stop after <input className="input narrow" type="number" min={1} aria-label="Stop after count" placeholder="∞" value={count} onChange={(e) => setCount(e.target.value)} /> injections
      </label>
      <button type="submit" className="button primary small" disabled={busy}>
        {busy ? 'Adding…' : 'Add rule'}
      </button>
      <FormError message={error} />
    </form>
  )
}
