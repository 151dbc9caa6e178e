// The empty state that teaches: with nothing stored yet, show exactly how to send the first event to
// this very Loupe (its own origin, a real write key when there is one).

import { analyticsNodeSnippet } from '../format/snippets'
import { firstEventCurl } from '../format/curl'
import { useSources } from '../state/sources-store'
import { CodeBlock } from './code-block'
import { Link } from './link'

export function FirstEventGuide() {
  const sources = useSources((s) => s.sources)
  const origin = window.location.origin
  // Any write key works (unknown keys create their source), unless Loupe runs with --strict-keys.
  const writeKey = sources[0]?.writeKey ?? 'my-app'
  return (
    <section className="empty-state first-event" aria-labelledby="first-event-title">
      <h2 id="first-event-title">No events yet</h2>
      <p>Loupe is listening. Send your first event from a terminal and it shows up here at once:</p>
      <CodeBlock code={firstEventCurl(origin, writeKey)} label="curl" copyTitle="Copy curl command" />
      <p>Or from Node, with the official client pointed at Loupe:</p>
      <CodeBlock code={analyticsNodeSnippet(origin, writeKey)} label="analytics-node" copyTitle="Copy analytics-node snippet" />
      <p className="muted">
        For a web page, each source on the <Link to="/sources">Sources</Link> screen has a ready-to-paste analytics.js snippet.
      </p>
    </section>
  )
}
