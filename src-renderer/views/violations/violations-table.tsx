// The report's groups under their event: kind, field, expected, count, first/last seen, trend, samples,
// and a link to the events themselves.

import { Fragment } from 'react'
import type { ViolationGroup, ViolationsReport } from '../../../src-shared/enforcement'
import { Link } from '../../components/link'
import { TypeBadge } from '../../components/type-badge'
import { formatCount } from '../../format/numbers'
import { formatDateTime, formatRelative } from '../../format/time'
import { isSegmentType } from '../../../src-shared/segment'
import type { SampleSelection } from '../../state/violations-store'
import { Sparkline } from './sparkline'
import { kindLabel, pointerLabel } from './violation-text'
import { bucketLabel, eventsPathOf, groupByEvent, groupKey } from './violations-url'

export interface ViolationsTableProps {
  report: ViolationsReport
  sourceName(id: number): string
  showSource: boolean
  sample: SampleSelection | null
  onSample(group: ViolationGroup, eventId: string): void
}

export function ViolationsTable({ report, sourceName, showSource, sample, onSample }: ViolationsTableProps) {
  const events = groupByEvent(report.groups)
  const per = bucketLabel(report.bucketMs)
  return (
    <table className="violations-table" aria-label="Violations by event and kind">
      <thead>
        <tr>
          <th scope="col">Kind</th>
          <th scope="col">Field</th>
          <th scope="col">Expected</th>
          <th scope="col" className="num">
            Count
          </th>
          <th scope="col" className="seen">
            First / last seen
          </th>
          <th scope="col">Trend</th>
          <th scope="col">Samples</th>
        </tr>
      </thead>
      {events.map((entry) => {
        const name = entry.event ?? entry.eventType
        return (
          <tbody key={entry.key} data-event={name} data-source-id={entry.sourceId}>
            <tr className="event-group-head">
              <th scope="rowgroup" colSpan={7}>
                {isSegmentType(entry.eventType) && <TypeBadge type={entry.eventType} />}
                <span className="event-group-name">{name}</span>
                {showSource && <span className="muted"> on {sourceName(entry.sourceId)}</span>}
                <span className="muted event-group-total">
                  {formatCount(entry.total)} {entry.total === 1 ? 'violation' : 'violations'}
                </span>
                <Link to={eventsPathOf(entry.groups[0]!, report.range)} className="button small ghost" aria-label={`Show events: ${name}`}>
                  Show events
                </Link>
              </th>
            </tr>
            {entry.groups.map((group) => {
              const key = groupKey(group)
              return (
                <tr key={key} data-kind={group.kind} data-pointer={group.pointer} className={sample?.groupKey === key ? 'selected' : undefined}>
                  <td>
                    <span className={`kind-badge kind-${group.kind}`}>{kindLabel(group.kind)}</span>
                  </td>
                  <td className="field-cell">
                    <code>
                      <BreakableText text={pointerLabel(group.pointer)} />
                    </code>
                    <div className="muted group-message">{group.message}</div>
                  </td>
                  <td>{group.expected ?? <span className="muted">—</span>}</td>
                  <td className="num">{formatCount(group.count)}</td>
                  <td className="seen">
                    <div title={`First seen ${formatDateTime(group.firstSeen)}`}>{formatRelative(group.firstSeen)}</div>
                    <div title={`Last seen ${formatDateTime(group.lastSeen)}`}>{formatRelative(group.lastSeen)}</div>
                  </td>
                  <td>
                    <Sparkline trend={group.trend} per={per} />
                  </td>
                  <td>
                    <div className="sample-buttons" role="group" aria-label={`Samples of ${name} ${kindLabel(group.kind)} ${pointerLabel(group.pointer)}`}>
                      {group.sampleEventIds.map((id, i) => {
                        const chosen = sample?.groupKey === key && sample.eventId === id
                        return (
                          <button key={id} type="button" className={`button small${chosen ? ' primary' : ''}`} aria-pressed={chosen} aria-label={`Sample ${i + 1}`} title={`Event ${id}`} onClick={() => onSample(group, id)}>
                            {i + 1}
                          </button>
                        )
                      })}
                    </div>
                  </td>
                </tr>
              )
            })}
          </tbody>
        )
      })}
    </table>
  )
}

/** A pointer that may wrap after each "/" rather than mid-word in a narrow column. */
function BreakableText({ text }: { text: string }) {
  const parts = text.split('/')
  return (
    <>
      {parts.map((part, i) => (
        <Fragment key={i}>
          {i > 0 && '/'}
          {i > 0 && <wbr />}
          {part}
        </Fragment>
      ))}
    </>
  )
}
