// The PostgreSQL warehouse destination's admin side (issue #9): the connection test (run by the UI before
// saving, and on every save of a warehouse's settings), the warehouse's status (tables, columns, rows, last
// loads, type conflicts, a psql line), and "sync now".

import type { FastifyInstance } from 'fastify'
import type { DestinationKind, DestinationSettings } from '../../../../src-shared/api'
import type { WarehouseSettings, WarehouseStatus, WarehouseTestResult } from '../../../../src-shared/warehouse'
import type { EngineContext } from '../../context'
import { testConnection } from '../../destinations/warehouse/connection'
import { readWarehouseStatus } from '../../destinations/warehouse/status'
import { schemaName } from '../../destinations/warehouse/naming'
import { RESERVED_SCHEMAS } from './warehouse-settings'
import { ApiError } from '../../errors'
import { findDestination } from './delivery-routes'
import { validateWarehouseSettings } from './warehouse-settings'

/** A warehouse's settings are saved only when it answers (the error names the setting to fix). */
export async function reachableSettings(kind: DestinationKind, settings: DestinationSettings): Promise<DestinationSettings> {
  if (kind !== 'warehouse') return settings
  const result = await testConnection(settings as WarehouseSettings)
  if (!result.ok) throw new ApiError(400, 'ERR_ADMIN_WAREHOUSE_UNREACHABLE', `The warehouse did not accept the connection: ${result.error}`, `settings.${result.field ?? 'host'}`)
  return settings
}

/**
 * A warehouse's schema per source is fixed when the source is connected (as Segment's schema is its source's
 * slug at creation): renaming the source later must not split its data over two schemas.
 */
export function pinSchemas(ctx: EngineContext, kind: DestinationKind, settings: DestinationSettings, sourceIds: number[]): DestinationSettings {
  if (kind !== 'warehouse') return settings
  const warehouse = settings as WarehouseSettings
  const schemas = { ...(warehouse.schemas ?? {}) }
  // Two sources never share a schema (messageIds are unique per source only; users rows would merge): a default
  // name already taken, or reserved, gets the source id appended.
  const taken = new Set(Object.values(schemas))
  for (const id of sourceIds) {
    if (schemas[String(id)] !== undefined) continue
    let name = schemaName(ctx.sources.get(id)?.name ?? `source_${id}`)
    if (taken.has(name) || RESERVED_SCHEMAS.has(name)) name = `${name.slice(0, 50)}_${id}`
    schemas[String(id)] = name
    taken.add(name)
  }
  return { ...warehouse, schemas }
}

export function registerWarehouseRoutes(app: FastifyInstance, ctx: EngineContext): void {
  const warehouseOf = (raw: string) => {
    const destination = findDestination(ctx, raw)
    if (destination.kind !== 'warehouse') throw new ApiError(400, 'ERR_ADMIN_INVALID_QUERY', `Destination ${destination.id} is not a warehouse (it is "${destination.kind}").`, 'id')
    return destination
  }

  app.post('/api/warehouse/test', async (request): Promise<WarehouseTestResult> => {
    const body = (request.body ?? {}) as { settings?: unknown; destinationId?: unknown }
    // Editing a saved warehouse: a masked password sent back means the saved one.
    const previous = typeof body.destinationId === 'number' ? (warehouseOf(String(body.destinationId)).settings as WarehouseSettings) : undefined
    return testConnection(validateWarehouseSettings(body.settings, previous))
  })

  app.get<{ Params: { id: string } }>('/api/destinations/:id/warehouse', async (request): Promise<WarehouseStatus> => {
    const destination = warehouseOf(request.params.id)
    const worker = ctx.router.worker(destination.id)
    return readWarehouseStatus(destination.settings as WarehouseSettings, destination.id, worker?.lastError ?? null, worker?.nextLoadAt ?? null)
  })

  app.post<{ Params: { id: string } }>('/api/destinations/:id/sync', async (request): Promise<{ syncing: boolean }> => {
    const destination = warehouseOf(request.params.id)
    const worker = ctx.router.worker(destination.id)
    if (!worker) throw new ApiError(409, 'ERR_ADMIN_CONFLICT', 'The destination is not running yet; try again in a moment.', 'id')
    if (!destination.enabled) throw new ApiError(409, 'ERR_ADMIN_CONFLICT', 'The destination is disabled; enable it to load.', 'id')
    worker.syncNow()
    return { syncing: true }
  })
}
