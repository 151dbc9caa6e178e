import type { JsonObject } from '../../../src-shared/segment'
import { contextSummary } from '../../format/context-summary'
import { Field } from './identity-section'

/** `masked`: personal data hidden in the payload (pointer → masked sample), e.g. `/context/ip`. */
export function ContextSection({ payload, masked }: { payload: JsonObject; masked?: ReadonlyMap<string, string> | null }) {
  const context = contextSummary(payload, masked)
  return (
    <section className="detail-section" aria-labelledby="context-title">
      <h3 id="context-title">Context</h3>
      <dl className="fields">
        <Field label="Library" value={context.library} />
        <Field label="Page URL" value={context.pageUrl} />
        <Field label="User agent" value={context.userAgent} />
        <Field label="IP" value={context.ip} />
      </dl>
    </section>
  )
}
