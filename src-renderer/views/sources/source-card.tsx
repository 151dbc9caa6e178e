import { useState } from 'react'
import type { Source } from '../../../src-shared/api'
import { CopyButton } from '../../components/copy-button'
import { Link } from '../../components/link'
import { formatCount } from '../../format/numbers'
import { formatDateTime, formatRelative } from '../../format/time'
import { EnforcementPanel } from './enforcement-panel'
import { FaultInjectionPanel } from './fault-injection-panel'
import { QuarantinePanel } from './quarantine-panel'
import { SourceSchemaPanel } from './source-schema-panel'
import { RenameForm } from './rename-form'
import { SourceSnippets } from './source-snippets'

export function SourceCard({ source, onDelete }: { source: Source; onDelete(): void }) {
  const [renaming, setRenaming] = useState(false)
  const [snippets, setSnippets] = useState(false)
  const [faults, setFaults] = useState(false)
  const [schema, setSchema] = useState(false)
  const [enforcement, setEnforcement] = useState(false)
  const [quarantine, setQuarantine] = useState(false)

  return (
    <article className="source-card" aria-label={`Source ${source.name}`} data-source-id={source.id}>
      <div className="source-head">
        {renaming ? (
          <RenameForm source={source} onDone={() => setRenaming(false)} />
        ) : (
          <h2 className="source-name">
            {source.name}
            {source.autoCreated && (
              <span className="badge" title="Created on the fly when an unknown write key first sent an event">
                auto-created
              </span>
            )}
          </h2>
        )}
        <div className="source-actions">
          {!renaming && (
            <button type="button" className="button small ghost" onClick={() => setRenaming(true)}>
              Rename
            </button>
          )}
          <button type="button" className="button small ghost danger-text" onClick={onDelete}>
            Delete
          </button>
        </div>
      </div>
      <dl className="source-facts">
        <div>
          <dt>Write key</dt>
          <dd className="write-key">
            <code>{source.writeKey}</code>
            <CopyButton text={source.writeKey} title={`Copy write key of ${source.name}`} />
          </dd>
        </div>
        <div>
          <dt>Events</dt>
          <dd>
            <Link to={`/events?source=${source.id}`}>{formatCount(source.eventCount)}</Link>
          </dd>
        </div>
        <div>
          <dt>Last seen</dt>
          <dd title={source.lastSeenAt ? formatDateTime(source.lastSeenAt) : undefined}>{formatRelative(source.lastSeenAt)}</dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>{formatDateTime(source.createdAt).slice(0, 16)}</dd>
        </div>
      </dl>
      <button type="button" className="link-button" aria-expanded={snippets} onClick={() => setSnippets(!snippets)}>
        {snippets ? 'Hide snippets' : 'Show snippets'}
      </button>
      {snippets && <SourceSnippets source={source} />}
      <button type="button" className="link-button" aria-expanded={faults} onClick={() => setFaults(!faults)}>
        {faults ? 'Hide fault injection' : 'Fault injection'}
      </button>
      {faults && <FaultInjectionPanel source={source} />}
      <button type="button" className="link-button" aria-expanded={schema} onClick={() => setSchema(!schema)}>
        {schema ? 'Hide schema' : 'Schema'}
      </button>
      {schema && <SourceSchemaPanel source={source} />}
      <button type="button" className="link-button" aria-expanded={enforcement} onClick={() => setEnforcement(!enforcement)}>
        {enforcement ? 'Hide enforcement' : 'Enforcement'}
      </button>
      {enforcement && <EnforcementPanel source={source} />}
      <button type="button" className="link-button" aria-expanded={quarantine} onClick={() => setQuarantine(!quarantine)}>
        {quarantine ? 'Hide quarantine' : 'Quarantine'}
      </button>
      {quarantine && <QuarantinePanel source={source} />}
    </article>
  )
}
