import type { DestinationDraft } from './destination-draft'
import { FieldError } from './field-errors'

export function DeliveryRules({ draft, onChange }: { draft: DestinationDraft; onChange(patch: Partial<DestinationDraft>): void }) {
  return (
    <div className="settings-form">
      <div className="form-row">
        <label className="form-label-block">
          <span className="form-label">Consent categories</span>
          <input className="input" name="consentCategories" placeholder="e.g. C0002, Advertising" value={draft.consent} onChange={(e) => onChange({ consent: e.target.value })} spellCheck={false} />
        </label>
        <span className="field-help">An event with context.consent.categoryPreferences reaches this destination only if every one of these is granted.</span>
        <FieldError path="consentCategories" />
      </div>
      <div className="inline-fields align-end">
        <label className="form-label-block">
          <span className="form-label">Requests in flight</span>
          <input className="input narrow" name="limits.maxInFlight" inputMode="numeric" value={draft.maxInFlight} onChange={(e) => onChange({ maxInFlight: e.target.value })} />
        </label>
        <label className="form-label-block">
          <span className="form-label">Events per second</span>
          <input className="input narrow" name="limits.eventsPerSecond" inputMode="decimal" placeholder="none" value={draft.eventsPerSecond} onChange={(e) => onChange({ eventsPerSecond: e.target.value })} />
        </label>
      </div>
      <span className="field-help">
        {draft.maxInFlight.trim() === '1'
          ? 'One request at a time: events arrive in order.'
          : draft.kind === 'file'
            ? 'Several batches at once: one is compressed and written while the next is prepared. Lines are still written in order.'
            : 'Several requests at once are faster, but they may arrive out of order (the next starts as soon as the oldest is answered). 1 keeps events in order.'}
      </span>
      <FieldError path="limits.maxInFlight" />
      <FieldError path="limits.eventsPerSecond" />
    </div>
  )
}
