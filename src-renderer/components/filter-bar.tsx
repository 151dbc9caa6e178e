// Filters shared by Live and Events: source, type, event/page name, user, free text, and the tracking-plan
// flags (events with violations, events held in quarantine) and events with personal data. The values are
// exactly the engine's query parameters, so what is shown is what the engine filters on.

import type { Source } from '../../src-shared/api'
import { SEGMENT_TYPES, isSegmentType } from '../../src-shared/segment'
import type { ViewFilters } from '../state/events-url'
import { DebouncedInput } from './debounced-input'
import { SourceOptions } from './source-options'

export interface FilterBarProps {
  value: ViewFilters
  sources: readonly Source[]
  onChange(filters: ViewFilters): void
}

function without<K extends keyof ViewFilters>(filters: ViewFilters, key: K, value: ViewFilters[K] | undefined): ViewFilters {
  const next = { ...filters }
  if (value === undefined || value === '') delete next[key]
  else next[key] = value
  return next
}

export function FilterBar({ value, sources, onChange }: FilterBarProps) {
  const active = Object.values(value).some((v) => v !== undefined && v !== false)
  return (
    <div className="filter-bar" role="search">
      <select
        className="input"
        aria-label="Source"
        name="source"
        value={value.source === undefined ? '' : String(value.source)}
        onChange={(e) => onChange(without(value, 'source', e.target.value === '' ? undefined : Number(e.target.value)))}
      >
        <SourceOptions sources={sources} />
      </select>
      <select
        className="input"
        aria-label="Type"
        name="type"
        value={value.type ?? ''}
        onChange={(e) => onChange(without(value, 'type', isSegmentType(e.target.value) ? e.target.value : undefined))}
      >
        <option value="">All types</option>
        {SEGMENT_TYPES.map((t) => (
          <option key={t} value={t}>
            {t}
          </option>
        ))}
      </select>
      <DebouncedInput name="event" label="Event or page name" placeholder="Exact event / page name" value={value.event ?? ''} onChange={(v) => onChange(without(value, 'event', v))} />
      <DebouncedInput name="user" label="User (userId or anonymousId)" placeholder="Exact userId or anonymousId" value={value.user ?? ''} onChange={(v) => onChange(without(value, 'user', v))} />
      <DebouncedInput name="q" className="grow" label="Search payloads" placeholder="Search payloads (words, e.g. ada@exa)…" value={value.q ?? ''} onChange={(v) => onChange(without(value, 'q', v))} />
      <label className="filter-toggle" title="Only events that broke their source's tracking plan">
        <input type="checkbox" name="violations" checked={value.violations === true} onChange={(e) => onChange(without(value, 'violations', e.target.checked || undefined))} />
        Violations only
      </label>
      <label className="filter-toggle" title="Only events held in quarantine (blocked by the source's enforcement, not delivered)">
        <input type="checkbox" name="quarantined" checked={value.quarantined === true} onChange={(e) => onChange(without(value, 'quarantined', e.target.checked || undefined))} />
        Held only
      </label>
      <label className="filter-toggle" title="Only events where personal data was found at ingest">
        <input type="checkbox" name="pii" checked={value.pii === true} onChange={(e) => onChange(without(value, 'pii', e.target.checked || undefined))} />
        PII only
      </label>
      {active && (
        <button type="button" className="button small ghost" onClick={() => onChange({})}>
          Clear
        </button>
      )}
    </div>
  )
}
