// The schema browser: every table Loupe has loaded, with its rows and last load; a table opens to its
// columns and their PostgreSQL types. Table and column names come from event names and property keys
// (attacker-controlled): they are rendered as text only.

import { useState } from 'react'
import type { WarehouseTable } from '../../../../src-shared/warehouse'
import { formatCount } from '../../../format/numbers'
import { formatDateTime } from '../../../format/time'

/** Past this many tables, a filter box helps find one. */
const FILTER_FROM = 8

export function WarehouseTables({ tables }: { tables: WarehouseTable[] }) {
  const [open, setOpen] = useState<Set<string>>(new Set())
  const [filter, setFilter] = useState('')
  if (tables.length === 0) return <p className="muted">No tables yet: they appear after the first load.</p>
  const needle = filter.trim().toLowerCase()
  const shown = needle ? tables.filter((t) => `${t.schema}.${t.name}`.includes(needle)) : tables
  const toggle = (key: string): void => {
    const next = new Set(open)
    if (next.has(key)) next.delete(key)
    else next.add(key)
    setOpen(next)
  }

  return (
    <>
      {tables.length > FILTER_FROM && <input className="input table-filter" type="search" aria-label="Filter tables" placeholder="Filter tables" value={filter} onChange={(e) => setFilter(e.target.value)} />}
      <table className="warehouse-tables" aria-label="Warehouse tables">
        <thead>
          <tr>
            <th scope="col">Table</th>
            <th scope="col" className="num">
              Rows
            </th>
            <th scope="col">Last load</th>
            <th scope="col" className="num">
              Columns
            </th>
          </tr>
        </thead>
        {shown.map((table) => {
          const key = `${table.schema}.${table.name}`
          const expanded = open.has(key)
          return (
            <tbody key={key} data-table={key}>
              <tr className={expanded ? 'open' : undefined}>
                <td>
                  <button type="button" className="link-button table-toggle" aria-expanded={expanded} onClick={() => toggle(key)}>
                    <span className="disclosure" aria-hidden="true">
                      {expanded ? '▾' : '▸'}
                    </span>
                    <code>
                      <span className="muted">{table.schema}.</span>
                      {table.name}
                    </code>
                  </button>
                  {table.lastError && <p className="last-error-text">{table.lastError}</p>}
                </td>
                <td className="num" data-rows={table.rows}>
                  {formatCount(table.rows)}
                </td>
                <td>
                  {table.lastLoadAt ? (
                    <>
                      {formatDateTime(table.lastLoadAt).slice(0, 19)}
                      {table.lastLoadRows !== null && <span className="muted"> · {rowsText(table.lastLoadRows)}</span>}
                    </>
                  ) : (
                    <span className="muted">never</span>
                  )}
                </td>
                <td className="num">{formatCount(table.columns.length)}</td>
              </tr>
              {expanded && (
                <tr className="table-columns">
                  <td colSpan={4}>
                    <ul className="column-list" aria-label={`Columns of ${key}`}>
                      {table.columns.map((column) => (
                        <li key={column.name}>
                          <code className="column-name">{column.name}</code>
                          <span className="column-type">{column.type}</span>
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              )}
            </tbody>
          )
        })}
      </table>
      {shown.length === 0 && <p className="muted">No table matches “{filter}”.</p>}
    </>
  )
}

const rowsText = (n: number): string => `${formatCount(n)} ${n === 1 ? 'row' : 'rows'}`
