import type { SegmentType } from '../../src-shared/segment'

export function TypeBadge({ type }: { type: SegmentType }) {
  return <span className={`type-badge type-${type}`}>{type}</span>
}
