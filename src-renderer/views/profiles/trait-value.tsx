// A trait's value as JSON text; objects open as a tree. Always React text nodes: traits are event data.

import type { JsonValue } from '../../../src-shared/segment'
import { JsonTree } from '../../components/json-tree'
import { TruncatedText } from '../../components/truncated-text'

const isObject = (value: unknown): value is { [key: string]: JsonValue } => typeof value === 'object' && value !== null && !Array.isArray(value)

export function TraitValue({ name, value }: { name: string; value: unknown }) {
  if (isObject(value) && Object.keys(value).length > 0) return <JsonTree value={value} label={`Trait ${name}`} />
  return (
    <code className="trait-value">
      <TruncatedText text={value === undefined ? 'undefined' : JSON.stringify(value)} />
    </code>
  )
}
