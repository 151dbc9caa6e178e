// The audit trail of one profile: each merge and refused merge with the event that caused it and why;
// a refusal seen again counts up instead of adding a row.

import type { IdentityLogEntry } from '../../../src-shared/identity'
import { Link } from '../../components/link'
import { formatCount } from '../../format/numbers'
import { formatDateTime } from '../../format/time'
import { EventLink } from './event-link'
import { profilePath } from './profiles-routes'

const ProfileRef = ({ id }: { id: number | null }) => (id === null ? <span className="muted">—</span> : <Link to={profilePath(id)}>#{id}</Link>)

export function IdentityLog({ entries }: { entries: readonly IdentityLogEntry[] }) {
  if (entries.length === 0) return <p className="empty-state">No merges or refusals for this profile.</p>
  return (
    <table className="data-table profiles-table identity-log" aria-label="Identity log">
      <thead>
        <tr>
          <th scope="col">What</th>
          <th scope="col">Identifier</th>
          <th scope="col">Seen with</th>
          <th scope="col">Profiles</th>
          <th scope="col">Reason</th>
          <th scope="col" className="num">
            Times
          </th>
          <th scope="col">Event</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((e) => (
          <tr key={e.id} data-log-kind={e.kind}>
            <td>
              <span className={`state-badge log-${e.kind}`}>{e.kind}</span>
              <span className="log-time">{formatDateTime(e.at)}</span>
            </td>
            <td>
              {e.identity.kind} <code>{e.identity.value}</code>
            </td>
            <td>
              {e.other ? (
                <>
                  {e.other.kind} <code>{e.other.value}</code>
                </>
              ) : (
                <span className="muted">—</span>
              )}
            </td>
            <td className="log-profiles">
              <ProfileRef id={e.fromProfile} /> {e.kind === 'merge' ? '→' : '≠'} <ProfileRef id={e.intoProfile} />
            </td>
            <td className="log-reason">{e.reason}</td>
            <td className="num">{formatCount(e.count)}</td>
            <td>
              <EventLink id={e.eventId} />
              {e.count > 1 && e.lastEventId !== e.eventId && (
                <>
                  {' '}
                  · last <EventLink id={e.lastEventId}>{e.lastEventId}</EventLink>
                </>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
