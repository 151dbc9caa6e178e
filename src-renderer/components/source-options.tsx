// The options of a source picker: "all sources" first, then each source by name (names are text, never HTML).

import type { Source } from '../../src-shared/api'

export function SourceOptions({ sources, all = 'All sources' }: { sources: readonly Pick<Source, 'id' | 'name'>[]; all?: string }) {
  return (
    <>
      <option value="">{all}</option>
      {sources.map((s) => (
        <option key={s.id} value={s.id}>
          {s.name}
        </option>
      ))}
    </>
  )
}
