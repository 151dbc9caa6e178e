// The Action catalogue: search by name, narrow by category; destinations that cannot run locally are
// listed greyed with the reason rather than hidden, so nobody wonders where they went.

import { useEffect, useMemo, useState } from 'react'
import { Link } from '../../components/link'
import { categoryOptions, searchCatalogue, useCatalogue } from '../../state/catalogue-store'

const SHOWN = 60

export function CataloguePicker() {
  const entries = useCatalogue((s) => s.entries)
  const loaded = useCatalogue((s) => s.loaded)
  const error = useCatalogue((s) => s.error)
  const [query, setQuery] = useState('')
  const [category, setCategory] = useState('')
  useEffect(() => void useCatalogue.getState().load(), [])

  const categories = useMemo(() => categoryOptions(entries), [entries])
  const matches = useMemo(() => searchCatalogue(entries, query, category), [entries, query, category])

  return (
    <div className="catalogue">
      <div className="catalogue-search">
        <input type="search" className="input grow" aria-label="Search the catalogue" placeholder="Search destinations, e.g. Amplitude" value={query} onChange={(e) => setQuery(e.target.value)} spellCheck={false} />
        {categories.length > 0 && (
          <select className="input" aria-label="Category" value={category} onChange={(e) => setCategory(e.target.value)}>
            <option value="">All categories ({entries.length})</option>
            {categories.map((c) => (
              <option key={c.category} value={c.category}>
                {c.label}
              </option>
            ))}
          </select>
        )}
      </div>
      {error && <p className="form-error" role="alert">{error}</p>}
      {!loaded && !error && <p className="muted loading">Loading the catalogue…</p>}
      {loaded && matches.length === 0 && <p className="empty-state">No destination matches.</p>}
      <ul className="kind-grid" aria-label="Action destinations">
        {matches.slice(0, SHOWN).map((entry) => (
          <li key={entry.slug}>
            {entry.unavailable ? (
              <div className="kind-card unavailable" aria-disabled="true" title={entry.unavailable}>
                <strong>{entry.name}</strong>
                <span className="muted">Unavailable: {entry.unavailable}</span>
              </div>
            ) : (
              <Link to={`/destinations/new?slug=${encodeURIComponent(entry.slug)}`} className="kind-card" aria-label={entry.name}>
                <strong>{entry.name}</strong>
                {entry.description && <span className="kind-description">{entry.description}</span>}
                <span className="muted">
                  {entry.categories.length > 0 ? `${entry.categories.join(', ')} · ` : ''}{entry.actionCount} {entry.actionCount === 1 ? 'action' : 'actions'}
                </span>
              </Link>
            )}
          </li>
        ))}
      </ul>
      {matches.length > SHOWN && <p className="muted">{matches.length - SHOWN} more — narrow the search.</p>}
    </div>
  )
}
