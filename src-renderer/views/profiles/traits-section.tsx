// What a profile said about itself (the latest value of each trait from identify calls, with the event
// that set it) and what Loupe computed for it (computed traits, audiences it belongs to).

import type { ComputedValue, ProfileDetail, ProfileTrait } from '../../../src-shared/identity'
import { Link } from '../../components/link'
import { formatDateTime } from '../../format/time'
import { EventLink } from './event-link'
import { TraitValue } from './trait-value'

export function TraitsSection({ traits }: { traits: readonly ProfileTrait[] }) {
  return (
    <section className="profile-section" aria-labelledby="traits-title">
      <h2 id="traits-title" className="section-heading">
        Traits
      </h2>
      {traits.length === 0 ? (
        <p className="empty-state">No traits: this profile has had no identify call with traits.</p>
      ) : (
        <table className="data-table profiles-table" aria-label="Traits">
          <thead>
            <tr>
              <th scope="col">Trait</th>
              <th scope="col">Value</th>
              <th scope="col">Set at</th>
              <th scope="col">By</th>
            </tr>
          </thead>
          <tbody>
            {traits.map((t) => (
              <tr key={t.key} data-trait={t.key}>
                <th scope="row">
                  <code>{t.key}</code>
                </th>
                <td className="value-cell">
                  <TraitValue name={t.key} value={t.value} />
                </td>
                <td>{formatDateTime(t.at)}</td>
                <td>
                  <EventLink id={t.eventId} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

export function ComputedSection({ computed, audiences }: { computed: readonly ComputedValue[]; audiences: ProfileDetail['audiences'] }) {
  return (
    <div className="profile-columns">
      <section className="profile-section" aria-labelledby="computed-title">
        <h2 id="computed-title" className="section-heading">
          Computed traits
        </h2>
        {computed.length === 0 ? (
          <p className="empty-state">
            None for this profile. <Link to="/profiles/traits">Computed traits</Link>
          </p>
        ) : (
          <table className="data-table profiles-table" aria-label="Computed traits">
            <tbody>
              {computed.map((c) => (
                <tr key={c.traitId} data-computed={c.key}>
                  <th scope="row">
                    {c.name} <code className="muted">{c.key}</code>
                  </th>
                  <td className="value-cell">
                    <TraitValue name={c.key} value={c.value} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="profile-section" aria-labelledby="audiences-title">
        <h2 id="audiences-title" className="section-heading">
          Audiences
        </h2>
        {audiences.length === 0 ? (
          <p className="empty-state">
            In no audience. <Link to="/profiles/audiences">Audiences</Link>
          </p>
        ) : (
          <ul className="plain-list audience-memberships" aria-label="Audiences">
            {audiences.map((a) => (
              <li key={a.id}>
                <strong>{a.name}</strong> <code className="muted">{a.key}</code> <span className="muted">since {formatDateTime(a.enteredAt)}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  )
}
