// The property table of one rule: name, type, required, allowed values, pattern, description. It edits
// its own rows (a half-typed name may be empty or a duplicate) and writes the schema back only when the
// rows make a valid one; properties it cannot express show as "advanced" and are carried over untouched.

import { useState } from 'react'
import { emptyRow, exampleOf, formatEnum, parseEnum, ROW_TYPES, rowProblems, schemaWithTable, type PropertyRow, type RuleTable } from './rule-table'

interface Props {
  label: string
  schema: Record<string, unknown>
  initial: RuleTable
  onChange(schema: Record<string, unknown>): void
  onValidity(valid: boolean): void
}

export function PropertyTable({ label, schema, initial, onChange, onValidity }: Props) {
  const [table, setTable] = useState(initial)
  const problems = rowProblems(table.rows)
  const problemAt = (index: number, field: string): string | undefined => problems.find((p) => p.index === index && p.field === field)?.message

  const update = (rows: PropertyRow[]): void => {
    const next = { ...table, rows }
    setTable(next)
    const valid = rowProblems(rows).length === 0
    onValidity(valid)
    if (valid) onChange(schemaWithTable(schema, next))
  }
  const edit = (index: number, patch: Partial<PropertyRow>): void => update(table.rows.map((r, i) => (i === index ? { ...r, ...patch } : r)))

  return (
    <div className="property-table-wrap">
      <table className="property-table" aria-label={label}>
        <thead>
          <tr>
            <th scope="col">Property</th>
            <th scope="col">Type</th>
            <th scope="col">Required</th>
            <th scope="col">Allowed values</th>
            <th scope="col">Pattern</th>
            <th scope="col">Description</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row, index) => (
            <tr key={index} data-property={row.name} data-advanced={row.advanced ? 'true' : undefined}>
              <td>
                <input className="input" aria-label="Property name" value={row.name} aria-invalid={problemAt(index, 'name') ? true : undefined} onChange={(e) => edit(index, { name: e.target.value })} />
                {problemAt(index, 'name') && <span className="cell-error" role="alert">{problemAt(index, 'name')}</span>}
              </td>
              {row.advanced ? (
                <td colSpan={1}>
                  <span className="badge" title="This property's schema uses keywords the table cannot show; edit it in the JSON view. It is kept exactly as written.">
                    advanced
                  </span>
                </td>
              ) : (
                <td>
                  <select className="input" aria-label="Property type" value={row.type} onChange={(e) => edit(index, { type: e.target.value as PropertyRow['type'] })}>
                    {ROW_TYPES.map((t) => (
                      <option key={t} value={t}>
                        {t}
                      </option>
                    ))}
                  </select>
                  {exampleOf(row) && <span className="example-hint">e.g. {exampleOf(row)}</span>}
                </td>
              )}
              <td>
                <input type="checkbox" aria-label="Required" checked={row.required} onChange={(e) => edit(index, { required: e.target.checked })} />
              </td>
              {row.advanced ? (
                <td colSpan={3}>
                  <code className="advanced-schema">{JSON.stringify(row.advanced.schema)}</code>
                </td>
              ) : (
                <>
                  <td>
                    <EnumCell row={row} onChange={(values) => edit(index, { enum: values })} error={problemAt(index, 'enum')} />
                  </td>
                  <td>
                    <input
                      className="input"
                      aria-label="Pattern"
                      value={row.pattern}
                      disabled={row.type !== 'string'}
                      placeholder={row.type === 'string' ? '^regex$' : ''}
                      aria-invalid={problemAt(index, 'pattern') ? true : undefined}
                      onChange={(e) => edit(index, { pattern: e.target.value })}
                    />
                    {problemAt(index, 'pattern') && <span className="cell-error" role="alert">{problemAt(index, 'pattern')}</span>}
                  </td>
                  <td>
                    <input className="input" aria-label="Description" value={row.description} onChange={(e) => edit(index, { description: e.target.value })} />
                  </td>
                </>
              )}
              <td>
                <button type="button" className="button small ghost danger-text" aria-label={`Remove property ${row.name}`} onClick={() => update(table.rows.filter((_, i) => i !== index))}>
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {table.rows.length === 0 && <p className="muted">No properties listed: every property sent is reported as unplanned (add them here, or set "additionalProperties": true in the JSON to accept any).</p>}
      {table.extraRequired.length > 0 && <p className="muted">Also required (no schema of their own): {table.extraRequired.join(', ')}</p>}
      <button type="button" className="button small" onClick={() => update([...table.rows, emptyRow()])}>
        Add property
      </button>
    </div>
  )
}

/** Keeps the text as typed (a trailing comma, say) and hands the parsed values up. */
function EnumCell({ row, onChange, error }: { row: PropertyRow; onChange(values: PropertyRow['enum']): void; error?: string }) {
  const [text, setText] = useState(formatEnum(row.enum))
  const disabled = row.type === 'any' || row.type === 'object' || row.type === 'array' || row.type === 'null'
  return (
    <>
      <input
        className="input"
        aria-label="Allowed values"
        value={text}
        disabled={disabled && text === ''}
        placeholder={disabled ? '' : 'a, b, c'}
        aria-invalid={error ? true : undefined}
        onChange={(e) => {
          setText(e.target.value)
          onChange(parseEnum(e.target.value, row.type))
        }}
      />
      {error && <span className="cell-error" role="alert">{error}</span>}
    </>
  )
}
