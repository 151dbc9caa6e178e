// The preview beside a computed trait or audience form: how many profiles the draft gives right now, out of
// all, and a few of them with their values.

import { formatCount } from '../../format/numbers'
import { Link } from '../../components/link'
import { profilePath } from './profiles-routes'
import type { PreviewState } from './use-preview'
import { profileLabel } from './profile-label'

export function LivePreview({ state, what }: { state: PreviewState; what: 'value' | 'member' }) {
  const { preview, error, pending } = state
  return (
    <aside className={`live-preview${pending ? ' pending' : ''}`} aria-label="Preview" aria-busy={pending}>
      <h3>Preview</h3>
      {error ? (
        <p className="muted preview-error">{error}</p>
      ) : preview ? (
        <>
          <p className="preview-count" data-testid="preview-count">
            <strong>{formatCount(preview.profiles)}</strong> of {formatCount(preview.total)} profiles
            <span className="muted">{what === 'value' ? ' have a value' : ' are members'}</span>
          </p>
          {preview.samples.length > 0 && (
            <ul className="plain-list preview-samples" aria-label="Sample profiles">
              {preview.samples.map((s) => (
                <li key={s.profileId}>
                  <Link to={profilePath(s.profileId)}>{profileLabel(s.label, s.profileId)}</Link>
                  {what === 'value' && <code>{JSON.stringify(s.value)}</code>}
                </li>
              ))}
            </ul>
          )}
        </>
      ) : (
        <p className="muted">Working it out…</p>
      )}
    </aside>
  )
}
