// Re-send or reproduce the event: a curl POST to this Loupe with the source's write key, or the
// analytics.js call that produces it.

import type { EventRecord } from '../../../src-shared/api'
import { CopyButton } from '../../components/copy-button'
import { maskPayload } from '../../components/pii-mask'
import { analyticsCall } from '../../format/analytics-call'
import { curlForEvent } from '../../format/curl'
import { sourceById } from '../../state/use-source'

/** `masked`: personal data hidden until revealed — what is copied is what is shown. */
export function CopyAsSection({ record, masked }: { record: EventRecord; masked: ReadonlyMap<string, string> | null }) {
  const payload = masked && masked.size > 0 ? maskPayload(record.payload, masked) : record.payload
  // Read the write key at click time: the source may have been created a moment ago.
  const curl = async (): Promise<string> => {
    const writeKey = (await sourceById(record.sourceId))?.writeKey ?? 'WRITE_KEY'
    return curlForEvent({ origin: window.location.origin, type: record.type, payload, writeKey })
  }
  return (
    <section className="detail-section copy-as" aria-labelledby="copy-as-title">
      <div className="button-row">
        <h3 id="copy-as-title">Copy as</h3>
        <CopyButton text={curl} label="curl" title="Copy as curl" />
        <CopyButton text={() => analyticsCall(record.type, payload)} label={`analytics.${record.type}(…)`} title={`Copy as analytics.${record.type}(...)`} />
      </div>
    </section>
  )
}
