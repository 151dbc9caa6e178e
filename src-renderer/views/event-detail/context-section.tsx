import type { JsonObject } from '../../../src-shared/segment'
import { contextSummary } from '../../format/context-summary'
import { Field } from './identity-section'

export function ContextSection({ payload }: { payload: JsonObject }) {
  const context = contextSummary(payload)
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
