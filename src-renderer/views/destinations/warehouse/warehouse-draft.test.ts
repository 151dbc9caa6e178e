import { describe, expect, it } from 'vitest'
import type { Destination } from '../../../../src-shared/api'
import { DEFAULT_DESTINATION_PRIVACY } from '../../../../src-shared/privacy'
import { BUILT_IN_FIELDS } from '../built-in-kinds'
import { draftFromDestination, draftToRequest, newDraft } from '../destination-draft'
import { schemaPaths, warehouseSettings, withSavedSchemas, withWarehouseSchemas } from './warehouse-draft'

const fields = BUILT_IN_FIELDS.warehouse

const saved: Destination = {
  id: 4,
  name: 'Warehouse',
  kind: 'warehouse',
  settings: { host: '127.0.0.1', port: 5432, database: 'analytics', user: 'loupe', password: '••••••', schemas: { '1': 'web', '2': 'ios_app' } },
  enabled: true,
  sourceIds: [1],
  filters: [],
  consentCategories: [],
  limits: { maxInFlight: 1, eventsPerSecond: null },
  privacy: DEFAULT_DESTINATION_PRIVACY,
  createdAt: '2024-01-01T00:00:00.000Z',
  status: { state: 'idle', cursor: 0, pending: 0, nextAttemptAt: null, lastError: null, failed: 0 }
}

describe('warehouse schemas in the destination form', () => {
  it('round-trips the saved schemas, keeping those of sources no longer connected', () => {
    const draft = withSavedSchemas(draftFromDestination(saved, fields), saved)
    const result = withWarehouseSchemas(draftToRequest(draft, fields), draft)
    expect(result.request?.settings).toEqual({ host: '127.0.0.1', port: 5432, database: 'analytics', user: 'loupe', password: '••••••', sslMode: 'disable', schemas: { '1': 'web', '2': 'ios_app' } })
    expect(schemaPaths(draft)).toEqual(['settings.schemas.1'])
  })

  it('leaves empty names to the engine and refuses names not in snake_case at their input', () => {
    const draft = { ...newDraft('warehouse', fields, { name: 'W', sourceIds: [1, 2] }) }
    draft.values = { ...draft.values, host: 'db', database: 'analytics', user: 'loupe', 'schemas.1': '', 'schemas.2': 'Checkout Web' }
    expect(withWarehouseSchemas(draftToRequest(draft, fields), draft).errors).toEqual({ 'settings.schemas.2': 'Schema names are snake_case (e.g. "checkout_web").' })
    draft.values['schemas.2'] = 'checkout_web'
    const ok = withWarehouseSchemas(draftToRequest(draft, fields), draft)
    expect((ok.request?.settings as { schemas?: unknown }).schemas).toEqual({ '2': 'checkout_web' })
    // A bad name of a source whose input is hidden (disconnected) is dropped, not reported where nobody sees it.
    draft.sourceIds = [1]
    expect(withWarehouseSchemas(draftToRequest(draft, fields), draft).errors).toBeUndefined()
  })

  it('gives the connection test what Save would send, or the errors at their inputs', () => {
    const draft = newDraft('warehouse', fields, { sourceIds: [3] })
    expect(warehouseSettings(draft, fields).errors).toEqual({ 'settings.host': 'Host is required.', 'settings.database': 'Database is required.', 'settings.user': 'User is required.' })
    draft.values = { ...draft.values, host: '127.0.0.1', port: '6543', database: 'x', user: 'u', 'schemas.3': 'shop' }
    expect(warehouseSettings(draft, fields).settings).toEqual({ host: '127.0.0.1', port: 6543, database: 'x', user: 'u', sslMode: 'disable', schemas: { '3': 'shop' } })
  })

  it('touches other kinds not at all', () => {
    const draft = newDraft('webhook', BUILT_IN_FIELDS.webhook, { name: 'W' })
    draft.values = { ...draft.values, url: 'http://x/' }
    const result = draftToRequest(draft, BUILT_IN_FIELDS.webhook)
    expect(withWarehouseSchemas(result, draft)).toBe(result)
    expect(schemaPaths(draft)).toEqual([])
  })
})
