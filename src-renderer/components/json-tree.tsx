// A collapsible tree of an event payload. Every key and value is a React text node — the payload is
// attacker-controlled — and every row can copy its path (properties.items[0].sku) or its value.
// Children render only when expanded, and long arrays a slice at a time, so a 1 MB payload stays usable.
// Fields named by JSON pointers (tracking-plan violations) can be marked: their branches open, an absent
// field shows where it should have been, and the focused one scrolls into view. Fields holding personal
// data can be masked: their values (and everything under them) show a stand-in until revealed.

import { createContext, useContext, useEffect, useMemo, useRef, useState } from 'react'
import type { JsonValue } from '../../src-shared/segment'
import { copyableValue, formatPath, type PathSegment } from '../format/json-path'
import { isInside, missingUnder, pointerOf } from '../format/json-pointer'
import { CopyButton } from './copy-button'
import { TruncatedText } from './truncated-text'
import '../styles/validation.css'

const OPEN_DEPTH = 2
const CHILDREN_STEP = 200

export interface JsonHighlight {
  /** JSON pointer into the payload, e.g. `/properties/total`. */
  pointer: string
  /** Shown beside the field as text, e.g. "wrong type". */
  label: string
  /** Class names for the line instead of the violation style, e.g. `pii-field pii-red`. */
  tone?: string
}

interface Highlights {
  list: readonly JsonHighlight[]
  pointers: readonly string[]
  focused: string | null
}

const HighlightContext = createContext<Highlights>({ list: [], pointers: [], focused: null })
const MaskContext = createContext<ReadonlyMap<string, string> | null>(null)
const MASK = '•••'

export interface JsonTreeProps {
  value: { [key: string]: JsonValue }
  highlights?: readonly JsonHighlight[]
  /** The pointer to bring into view (one of the highlights). */
  focused?: string | null
  label?: string
  /** Fields whose values are hidden: pointer → the text shown instead (inside a masked object or array, `•••`). */
  masked?: ReadonlyMap<string, string> | null
}

export function JsonTree({ value, highlights, focused = null, label = 'Payload', masked = null }: JsonTreeProps) {
  const context = useMemo<Highlights>(() => {
    const list = (highlights ?? []).filter((h) => h.pointer !== '')
    return { list, pointers: list.map((h) => h.pointer), focused }
  }, [highlights, focused])
  return (
    <HighlightContext.Provider value={context}>
      <MaskContext.Provider value={masked}>
        <div className="json-tree" role="tree" aria-label={label}>
          {Object.entries(value).map(([key, child]) => (
            <JsonNode key={key} name={key} value={child} path={[key]} depth={0} />
          ))}
          <MissingFields container="" keys={Object.keys(value)} />
        </div>
      </MaskContext.Provider>
    </HighlightContext.Provider>
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

function labelsAt(highlights: Highlights, pointer: string): string[] {
  return highlights.list.filter((h) => h.pointer === pointer).map((h) => h.label)
}

/** The line's classes: the violation style for plain highlights, a highlight's own tone otherwise. */
function lineTone(highlights: Highlights, pointer: string): string {
  const here = highlights.list.filter((h) => h.pointer === pointer)
  const tones = here.map((h) => h.tone ?? 'highlighted')
  return tones.length > 0 ? ` ${[...new Set(tones)].join(' ')}` : ''
}

function maskOf(masked: ReadonlyMap<string, string> | null, pointer: string): string | null {
  if (!masked) return null
  const own = masked.get(pointer)
  if (own !== undefined) return own
  for (const container of masked.keys()) if (isInside(container, pointer)) return MASK
  return null
}

function JsonNode({ name, value, path, depth }: JsonNodeProps) {
  const container = isContainer(value)
  const highlights = useContext(HighlightContext)
  const pointer = pointerOf(path)
  const containsHighlight = container && highlights.pointers.some((p) => isInside(pointer, p))
  const [open, setOpen] = useState(depth < OPEN_DEPTH || containsHighlight)
  const lineRef = useRef<HTMLDivElement>(null)
  const labels = labelsAt(highlights, pointer)
  const tone = lineTone(highlights, pointer)
  const mask = maskOf(useContext(MaskContext), pointer)
  const focused = highlights.focused === pointer
  const pathText = formatPath(path)

  // A violation picked after the tree was drawn must still be visible: open the branches leading to it.
  useEffect(() => {
    if (containsHighlight) setOpen(true)
  }, [containsHighlight])
  useEffect(() => {
    if (focused) lineRef.current?.scrollIntoView({ block: 'nearest' })
  }, [focused])

  return (
    <div className="json-node" role="treeitem" aria-expanded={container ? open : undefined} data-path={pathText} data-pointer={pointer} data-highlighted={labels.length > 0 ? 'true' : undefined}>
      <div ref={lineRef} className={`json-line${tone}${focused ? ' focused' : ''}`}>
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
        {container ? (
          <ContainerSummary value={value} />
        ) : mask !== null ? (
          <span className="json-masked" data-masked="true" title="Hidden: personal data">
            {mask}
          </span>
        ) : (
          <JsonScalar value={value} />
        )}
        {labels.length > 0 && <span className="json-flag">{labels.join(' · ')}</span>}
        <span className="json-actions">
          <CopyButton text={pathText} label="path" title={`Copy path ${pathText}`} className="tiny" />
          {mask === null && <CopyButton text={() => copyableValue(value)} label="value" title={`Copy value of ${pathText}`} className="tiny" />}
        </span>
      </div>
      {container && open && <JsonChildren value={value} path={path} depth={depth} />}
    </div>
  )
}

/** Highlighted fields the payload does not have (e.g. a missing required property), where they belong. */
function MissingFields({ container, keys }: { container: string; keys: readonly string[] }) {
  const highlights = useContext(HighlightContext)
  const missing = useMemo(() => missingUnder(container, new Set(keys), highlights.pointers), [container, keys, highlights.pointers])
  return (
    <>
      {missing.map((field) => {
        const labels = field.pointers.flatMap((p) => labelsAt(highlights, p))
        const focused = highlights.focused !== null && field.pointers.includes(highlights.focused)
        return (
          <div key={field.key} className="json-node" role="treeitem" data-pointer={`${container}/${field.rest}`} data-highlighted="true" data-missing="true">
            <div className={`json-line highlighted missing${focused ? ' focused' : ''}`}>
              <span className="json-toggle-spacer" />
              <span className="json-key">
                {field.rest.replace(/\//g, '.')}
                <span className="json-colon">:</span>
              </span>
              <span>(missing)</span>
              <span className="json-flag">{labels.join(' · ')}</span>
            </div>
          </div>
        )
      })}
    </>
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
  const keys = useMemo(() => entries.map(([key]) => String(key)), [value]) // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <div className="json-children" role="group">
      {entries.slice(0, shown).map(([key, child]) => (
        <JsonNode key={String(key)} name={key} value={child} path={[...path, key]} depth={depth + 1} />
      ))}
      <MissingFields container={pointerOf(path)} keys={keys} />
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
