// Values whose type differed from their column's: kept in `<column>_text` rather than dropped. Listed so the
// tracking code (or the plan) can be fixed; names are text from events.

import type { WarehouseTypeConflict } from '../../../../src-shared/warehouse'
import { formatCount } from '../../../format/numbers'
import { formatDateTime } from '../../../format/time'

export function TypeConflicts({ conflicts }: { conflicts: WarehouseTypeConflict[] }) {
  if (conflicts.length === 0) return <p className="muted">None: every value fitted its column’s type.</p>
  return (
    <table className="warehouse-tables" aria-label="Type conflicts">
      <thead>
        <tr>
          <th scope="col">Column</th>
          <th scope="col">Column type</th>
          <th scope="col">Value type</th>
          <th scope="col" className="num">
            Values
          </th>
          <th scope="col">Last seen</th>
        </tr>
      </thead>
      <tbody>
        {conflicts.map((c) => (
          <tr key={`${c.schema}.${c.table}.${c.column}.${c.valueType}`}>
            <td>
              <code>
                <span className="muted">
                  {c.schema}.{c.table}.
                </span>
                {c.column}
              </code>
              <span className="muted"> → kept in </span>
              <code>{c.column}_text</code>
            </td>
            <td>{c.columnType}</td>
            <td>{c.valueType}</td>
            <td className="num">{formatCount(c.count)}</td>
            <td>{formatDateTime(c.lastSeen).slice(0, 19)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
