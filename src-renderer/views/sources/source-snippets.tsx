// What to paste into a client so it sends to this Loupe with this source's write key.

import { useState } from 'react'
import type { Source } from '../../../src-shared/api'
import { CodeBlock } from '../../components/code-block'
import { firstEventCurl } from '../../format/curl'
import { analyticsJsSnippet, analyticsNodeSnippet } from '../../format/snippets'

const TABS = [
  { id: 'analytics-js', label: 'analytics.js', hint: 'Paste into the <head> of your pages', build: analyticsJsSnippet },
  { id: 'analytics-node', label: 'analytics-node', hint: 'npm install @segment/analytics-node', build: analyticsNodeSnippet },
  { id: 'curl', label: 'curl', hint: 'Send one event from a terminal', build: firstEventCurl }
] as const

export function SourceSnippets({ source }: { source: Source }) {
  const [tab, setTab] = useState<(typeof TABS)[number]['id']>('analytics-js')
  const current = TABS.find((t) => t.id === tab) ?? TABS[0]
  return (
    <div className="source-snippets">
      <div className="segmented" role="tablist" aria-label="Snippet">
        {TABS.map((t) => (
          <button key={t.id} type="button" role="tab" aria-selected={t.id === tab} className={t.id === tab ? 'active' : ''} onClick={() => setTab(t.id)}>
            {t.label}
          </button>
        ))}
      </div>
      <CodeBlock code={current.build(window.location.origin, source.writeKey)} label={current.hint} copyTitle={`Copy ${current.label} snippet`} />
    </div>
  )
}
