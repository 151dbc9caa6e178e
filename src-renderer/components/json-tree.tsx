// A collapsible tree of an event payload. Every key and value is a React text node — the payload is
// attacker-controlled — and every row can copy its path (properties.items[0].sku) or its value.
// Children render only when expanded, and long arrays a slice at a time, so a 1 MB payload stays usable.

import { useState } from 'react'
import type { JsonValue } from '../../src-shared/segment'
import { copyableValue, formatPath, type PathSegment } from '../format/json-path'
import { CopyButton } from './copy-button'
import { TruncatedText } from './truncated-text'

const OPEN_DEPTH = 2
const CHILDREN_STEP = 200

export function JsonTree({ value }: { value: { [key: string]: JsonValue } }) {
  return (
    <div className="json-tree" role="tree" aria-label="Payload">
      {Object.entries(value).map(([key, child]) => (
        <JsonNode key={key} name={key} value={child} path={[key]} depth={0} />
      ))}
    </div>
  )
}

interface JsonNodeProps {
  name: PathSegment
  value: JsonValue
  path: PathSegment[]
  depth: number
}

function isContainer(value: JsonValue): value is JsonValue[] | { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null
}

function JsonNode({ name, value, path, depth }: JsonNodeProps) {
  const container = isContainer(value)
  const [open, setOpen] = useState(depth < OPEN_DEPTH)
  const pathText = formatPath(path)
  return (
    <div className="json-node" role="treeitem" aria-expanded={container ? open : undefined} data-path={pathText}>
      <div className="json-line">
        {container ? (
          <button type="button" className="json-toggle" onClick={() => setOpen(!open)} aria-label={`${open ? 'Collapse' : 'Expand'} ${pathText}`}>
            <span className={`chevron${open ? ' open' : ''}`} aria-hidden="true" />
          </button>
        ) : (
          <span className="json-toggle-spacer" />
        )}
        <span className={typeof name === 'number' ? 'json-index' : 'json-key'}>
          {name}
          <span className="json-colon">:</span>
        </span>
        {container ? <ContainerSummary value={value} /> : <JsonScalar value={value} />}
        <span className="json-actions">
          <CopyButton text={pathText} label="path" title={`Copy path ${pathText}`} className="tiny" />
          <CopyButton text={() => copyableValue(value)} label="value" title={`Copy value of ${pathText}`} className="tiny" />
        </span>
      </div>
      {container && open && <JsonChildren value={value} path={path} depth={depth} />}
    </div>
  )
}

function ContainerSummary({ value }: { value: JsonValue[] | { [key: string]: JsonValue } }) {
  const size = Array.isArray(value) ? value.length : Object.keys(value).length
  const unit = Array.isArray(value) ? (size === 1 ? 'item' : 'items') : size === 1 ? 'key' : 'keys'
  return <span className="json-summary">{`${Array.isArray(value) ? '[ ]' : '{ }'} ${size} ${unit}`}</span>
}

function JsonChildren({ value, path, depth }: { value: JsonValue[] | { [key: string]: JsonValue }; path: PathSegment[]; depth: number }) {
  const [shown, setShown] = useState(CHILDREN_STEP)
  const entries: [PathSegment, JsonValue][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value)
  return (
    <div className="json-children" role="group">
      {entries.slice(0, shown).map(([key, child]) => (
        <JsonNode key={String(key)} name={key} value={child} path={[...path, key]} depth={depth + 1} />
      ))}
      {entries.length > shown && (
        <button type="button" className="link-button json-more" onClick={() => setShown(shown + CHILDREN_STEP)}>
          {`Show ${Math.min(CHILDREN_STEP, entries.length - shown)} more of ${entries.length - shown}`}
        </button>
      )}
    </div>
  )
}

function JsonScalar({ value }: { value: string | number | boolean | null }) {
  if (typeof value === 'string') {
    return (
      <span className="json-string">
        &quot;
        <TruncatedText text={value} />
        &quot;
      </span>
    )
  }
  if (value === null) return <span className="json-null">null</span>
  return <span className={typeof value === 'number' ? 'json-number' : 'json-boolean'}>{String(value)}</span>
}
