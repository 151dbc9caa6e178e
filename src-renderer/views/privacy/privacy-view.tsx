// Privacy: where personal data flows. The inventory of fields where detection found it (with what each
// connected destination receives), the inbox of new fields to triage, the matchers and their classes,
// per-destination controls, per-source blocking, suppressions and deletions — one tab each, the tab in
// the address bar.

import { useEffect, useMemo } from 'react'
import { useRouter } from '../../state/router-store'
import { usePrivacy } from '../../state/privacy-store'
import { ControlsPanel } from './controls-panel'
import { DeletionsPanel } from './deletions-panel'
import { InventoryPanel } from './inventory-panel'
import { MatchersPanel } from './matchers-panel'
import { PRIVACY_TABS, parsePrivacyUrl, privacyUrl, type PrivacyQuery, type PrivacyTab } from './privacy-url'
import { SourceSettingsPanel } from './source-settings-panel'
import { SuppressionsPanel } from './suppressions-panel'
import './privacy.css'

const REFRESH_MS = 10_000

export function PrivacyView() {
  const search = useRouter((s) => s.search)
  const navigate = useRouter((s) => s.navigate)
  const query = useMemo(() => parsePrivacyUrl(search), [search])
  const inbox = usePrivacy((s) => s.inventory?.inbox ?? null)

  // Matcher names label the inventory; the inventory counts the inbox: both are wanted on every tab, and
  // fetched again on a tab change (another tab's controls change what the inventory says).
  useEffect(() => void usePrivacy.getState().loadMatchers(), [])
  useEffect(() => {
    void usePrivacy.getState().loadInventory(query.source)
    const timer = setInterval(() => void usePrivacy.getState().loadInventory(query.source), REFRESH_MS)
    return () => clearInterval(timer)
  }, [query.source, query.tab])

  const setQuery = (next: PrivacyQuery): void => navigate(privacyUrl(next), { replace: true })

  return (
    <section className="screen privacy-screen" aria-labelledby="privacy-title">
      <header className="screen-header">
        <h1 id="privacy-title">Privacy</h1>
        <p className="muted screen-intro">Personal data found in events at ingest, how it is classified, and what each destination receives.</p>
      </header>
      <div className="privacy-tabs" role="tablist" aria-label="Privacy">
        {PRIVACY_TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`privacy-tab-${t.id}`}
            aria-selected={t.id === query.tab}
            aria-controls="privacy-panel"
            className={t.id === query.tab ? 'active' : ''}
            onClick={() => setQuery({ ...query, tab: t.id })}
          >
            {t.label}
            {t.id === 'inbox' && inbox !== null && inbox > 0 && (
              <span className="tab-count" aria-label={`${inbox} to triage`}>
                {inbox}
              </span>
            )}
          </button>
        ))}
      </div>
      <div className="privacy-body" role="tabpanel" id="privacy-panel" aria-labelledby={`privacy-tab-${query.tab}`}>
        <Panel tab={query.tab} query={query} onQuery={setQuery} />
      </div>
    </section>
  )
}

function Panel({ tab, query, onQuery }: { tab: PrivacyTab; query: PrivacyQuery; onQuery(next: PrivacyQuery): void }) {
  switch (tab) {
    case 'inventory':
      return <InventoryPanel source={query.source} onSource={(source) => onQuery({ tab, ...(source === undefined ? {} : { source }) })} inbox={false} />
    case 'inbox':
      return <InventoryPanel source={query.source} onSource={(source) => onQuery({ tab, ...(source === undefined ? {} : { source }) })} inbox />
    case 'matchers':
      return <MatchersPanel />
    case 'controls':
      return <ControlsPanel />
    case 'sources':
      return <SourceSettingsPanel />
    case 'suppressions':
      return <SuppressionsPanel />
    case 'deletions':
      return <DeletionsPanel />
  }
}
