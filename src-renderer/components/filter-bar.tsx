// Filters shared by Live and Events: source, type, event/page name, user, free text. The values are
// exactly the engine's query parameters, so what is shown is what the engine filters on.

import type { Source } from '../../src-shared/api'
import { SEGMENT_TYPES, isSegmentType } from '../../src-shared/segment'
import type { ViewFilters } from '../state/events-url'
import { DebouncedInput } from './debounced-input'

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
  const active = Object.keys(value).length > 0
  return (
    <div className="filter-bar" role="search">
      <select
        className="input"
        aria-label="Source"
        name="source"
        value={value.source === undefined ? '' : String(value.source)}
        onChange={(e) => onChange(without(value, 'source', e.target.value === '' ? undefined : Number(e.target.value)))}
      >
        <option value="">All sources</option>
        {sources.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
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
      {active && (
        <button type="button" className="button small ghost" onClick={() => onChange({})}>
          Clear
        </button>
      )}
    </div>
  )
}
