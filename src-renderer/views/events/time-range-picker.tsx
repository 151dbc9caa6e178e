// Last 15 min / 1 h / 24 h / 7 d, all time, or a custom from–to (local time in the inputs, ISO in
// the URL and the API).

import { fromLocalInputValue, toLocalInputValue } from '../../format/time'
import { isRelativeRange, type TimeRange } from '../../state/events-url'

const CHOICES = [
  ['all', 'All time'],
  ['15m', 'Last 15 minutes'],
  ['1h', 'Last hour'],
  ['24h', 'Last 24 hours'],
  ['7d', 'Last 7 days'],
  ['custom', 'Custom range…']
] as const

function choiceOf(range: TimeRange): string {
  return range.kind === 'relative' ? range.range : range.kind
}

export function TimeRangePicker({ value, onChange }: { value: TimeRange; onChange(range: TimeRange): void }) {
  const choose = (choice: string): void => {
    if (isRelativeRange(choice)) onChange({ kind: 'relative', range: choice })
    else if (choice === 'custom') onChange({ kind: 'custom', from: new Date(Date.now() - 3_600_000).toISOString() })
    else onChange({ kind: 'all' })
  }
  return (
    <div className="time-range">
      <select className="input" aria-label="Time range" name="range" value={choiceOf(value)} onChange={(e) => choose(e.target.value)}>
        {CHOICES.map(([id, label]) => (
          <option key={id} value={id}>
            {label}
          </option>
        ))}
      </select>
      {value.kind === 'custom' && (
        <>
          <label className="inline-label">
            From
            <input
              type="datetime-local"
              className="input"
              name="from"
              value={toLocalInputValue(value.from)}
              onChange={(e) => onChange({ ...value, from: fromLocalInputValue(e.target.value) })}
            />
          </label>
          <label className="inline-label">
            To
            <input type="datetime-local" className="input" name="to" value={toLocalInputValue(value.to)} onChange={(e) => onChange({ ...value, to: fromLocalInputValue(e.target.value) })} />
          </label>
        </>
      )}
    </div>
  )
}
