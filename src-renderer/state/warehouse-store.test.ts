import { describe, expect, it } from 'vitest'
import type { WarehouseStatus } from '../../src-shared/warehouse'
import { ApiError } from '../api/api-error'
import { createWarehouseStore } from './warehouse-store'

const status = (id: number, rows: number): WarehouseStatus => ({
  destinationId: id,
  reachable: true,
  error: null,
  tables: [{ schema: 'web', name: 'tracks', rows, columns: [{ name: 'id', type: 'text' }], lastLoadAt: '2024-01-01T00:00:00.000Z', lastLoadRows: rows, lastError: null }],
  conflicts: [],
  psql: 'psql "host=127.0.0.1 port=5432 dbname=analytics user=loupe"',
  nextLoadAt: null
})

describe('warehouse store', () => {
  it('keeps each warehouse’s latest status, and the engine’s refusal apart from it', async () => {
    let rows = 1
    let down = false
    const synced: number[] = []
    const store = createWarehouseStore({
      warehouseStatus: async (id) => {
        if (down) throw new ApiError(404, 'ERR_ADMIN_NOT_FOUND', 'No destination 7.', 'id')
        return status(id, rows)
      },
      syncWarehouse: async (id) => {
        synced.push(id)
        rows = 5
        return { syncing: true }
      }
    })
    await store.getState().load(7)
    expect(store.getState().statuses[7]?.tables[0]?.rows).toBe(1)
    await store.getState().sync(7)
    expect(synced).toEqual([7])
    await expect.poll(() => store.getState().statuses[7]?.tables[0]?.rows).toBe(5)
    down = true
    await store.getState().load(7)
    expect(store.getState().errors[7]).toMatch(/No destination 7/)
    // The last answer stays on screen while the engine cannot be asked.
    expect(store.getState().statuses[7]?.tables[0]?.rows).toBe(5)
  })

  it('does not stack a second read on one still running', async () => {
    let calls = 0
    let release: () => void = () => {}
    const store = createWarehouseStore({
      warehouseStatus: (id) => {
        calls++
        return new Promise((resolve) => (release = () => resolve(status(id, 1))))
      },
      syncWarehouse: async () => ({ syncing: true })
    })
    const first = store.getState().load(1)
    void store.getState().load(1)
    release()
    await first
    expect(calls).toBe(1)
  })
})
