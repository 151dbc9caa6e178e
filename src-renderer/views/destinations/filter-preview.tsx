// Live preview of the filters: the engine runs them over the most recent events of the connected
// sources and says, per event, whether it passes and why not. Debounced; a stale answer is dropped.

import { useEffect, useMemo, useState } from 'react'
import type { FilterPreviewResult } from '../../../src-shared/api'
import { api } from '../../api/client'
import { ApiError, errorMessage, messageAfterField } from '../../api/api-error'
import { TypeBadge } from '../../components/type-badge'
import { splitList } from './destination-draft'
import { previewableFilters, remapFilterField, type FilterDraft } from './filter-draft'
import { FormError } from '../../components/form-error'

export const PREVIEW_DEBOUNCE_MS = 400

export function FilterPreview({ filters, sourceIds, consent, destinationId }: { filters: FilterDraft[]; sourceIds: number[]; consent: string; destinationId?: number }) {
  const [result, setResult] = useState<FilterPreviewResult | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [loading, setLoading] = useState(false)
  const request = useMemo(() => {
    const { filters: complete, indexes } = previewableFilters(filters)
    // A saved destination's privacy controls show in the preview: what would really leave.
    return { body: { sourceIds, filters: complete, consentCategories: splitList(consent), limit: 50, ...(destinationId !== undefined ? { destinationId } : {}) }, indexes }
  }, [filters, sourceIds, consent, destinationId])
  const key = JSON.stringify(request.body)

  useEffect(() => {
    if (request.body.sourceIds.length === 0) {
      setResult(null)
      setError(null)
      return
    }
    const controller = new AbortController()
    const timer = setTimeout(() => {
      setLoading(true)
      api.previewFilters(request.body, controller.signal).then(
        (r) => {
          setResult(r)
          setError(null)
          setLoading(false)
        },
        (e: unknown) => {
          if (controller.signal.aborted) return
          const field = e instanceof ApiError ? remapFilterField(e.field, request.indexes) : undefined
          // The last result no longer says what these filters do.
          setResult(null)
          setError(field ? `${field}: ${messageAfterField(e)}` : errorMessage(e))
          setLoading(false)
        }
      )
    }, PREVIEW_DEBOUNCE_MS)
    return () => {
      clearTimeout(timer)
      controller.abort()
    }
    // The body's JSON is the dependency: a new but equal array must not refetch.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key])

  const passing = result?.events.filter((e) => e.passes).length ?? 0
  return (
    <aside className="filter-preview" aria-label="Filter preview" aria-busy={loading}>
      <h3>
        Preview {result && <span className="muted">— {passing} of {result.events.length} recent events pass</span>}
      </h3>
      {sourceIds.length === 0 && <p className="muted">Connect a source to preview its recent events.</p>}
      <FormError message={error} />
      {!result && !error && sourceIds.length > 0 && <p className="muted">Loading recent events…</p>}
      {result && result.events.length === 0 && <p className="muted">No events from these sources yet.</p>}
      <ul className="preview-list">
        {result?.events.map((e) => (
          <li key={e.id} className={e.passes ? 'passes' : 'blocked'} data-passes={e.passes}>
            <span className="preview-mark" aria-label={e.passes ? 'passes' : 'filtered'}>
              {e.passes ? '✓' : '✕'}
            </span>
            <TypeBadge type={e.summary.type} />
            <span className="preview-name">{e.summary.name ?? e.summary.userId ?? e.summary.anonymousId ?? e.id}</span>
            {e.reason && <span className="preview-reason">{e.reason}</span>}
          </li>
        ))}
      </ul>
    </aside>
  )
}
