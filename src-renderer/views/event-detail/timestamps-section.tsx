// The four timestamps and the client's clock skew. Segment's rule (which Loupe applies):
// timestamp = receivedAt − (sentAt − originalTimestamp); receivedAt − sentAt shows how far off the
// client's clock is (plus network time).

import type { EventRecord } from '../../../src-shared/api'
import { clockSkewMs, formatDateTime, formatSkew } from '../../format/time'
import { Field } from './identity-section'

export function TimestampsSection({ record }: { record: EventRecord }) {
  const skew = clockSkewMs(record.receivedAt, record.sentAt)
  const rows: [string, string | null, string][] = [
    ['timestamp', record.timestamp, 'corrected for clock skew'],
    ['originalTimestamp', record.originalTimestamp, "the client's own timestamp"],
    ['sentAt', record.sentAt, 'when the client sent the request'],
    ['receivedAt', record.receivedAt, 'when Loupe received it']
  ]
  return (
    <section className="detail-section" aria-labelledby="timestamps-title">
      <h3 id="timestamps-title">Timestamps</h3>
      <dl className="fields">
        {rows.map(([label, iso, hint]) => (
          <Field key={label} label={label} value={iso ? formatDateTime(iso) : null} title={iso ? `${iso} — ${hint}` : hint} />
        ))}
        <Field label="Clock skew" value={formatSkew(skew)} note={skew === null ? undefined : 'receivedAt − sentAt'} />
      </dl>
    </section>
  )
}
