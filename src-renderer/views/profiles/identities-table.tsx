// A profile's identifiers and how each joined it: "linked by user_id ada in event 42" — the identifier it
// was first seen with, in the event that made the link.

import type { Identity } from '../../../src-shared/identity'
import { formatDateTime } from '../../format/time'
import { EventLink } from './event-link'
import { KindBadge } from './kind-badge'

export function IdentitiesTable({ identities }: { identities: readonly Identity[] }) {
  return (
    <section className="profile-section" aria-labelledby="identities-title">
      <h2 id="identities-title" className="section-heading">
        Identities
      </h2>
      <table className="data-table profiles-table" aria-label="Identities">
        <thead>
          <tr>
            <th scope="col">Kind</th>
            <th scope="col">Value</th>
            <th scope="col">Seen</th>
            <th scope="col">How it joined</th>
          </tr>
        </thead>
        <tbody>
          {identities.map((i) => (
            <tr key={`${i.kind}:${i.value}`} data-kind={i.kind} data-value={i.value}>
              <td>
                <KindBadge kind={i.kind} />
              </td>
              <th scope="row" className="identity-value-cell">
                <code className="identity-value" title={i.value}>
                  {i.value}
                </code>
              </th>
              <td className="seen">
                <span title="First seen">{formatDateTime(i.firstSeen)}</span>
                <span className="muted" title="Last seen">
                  → {formatDateTime(i.lastSeen)}
                </span>
              </td>
              <td className="linked-by">
                {i.linkedBy ? (
                  <>
                    linked by {i.linkedBy.kind} <code>{i.linkedBy.value}</code> in <EventLink id={i.linkedBy.eventId} />
                  </>
                ) : (
                  <>
                    first identifier, in <EventLink id={i.firstEventId} />
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
