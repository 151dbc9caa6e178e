import type { Database } from 'better-sqlite3'

/**
 * Deletes every event of a (deleted) source, a chunk per event-loop turn so ingest keeps flowing.
 * Resolves with the number of events removed.
 */
export function purgeSourceEvents(db: Database, sourceId: number, chunk = 5000): Promise<number> {
  const remove = db.prepare('DELETE FROM events WHERE id IN (SELECT id FROM events WHERE source_id = ? ORDER BY id LIMIT ?)')
  let total = 0
  return new Promise((resolve, reject) => {
    const step = (): void => {
      try {
        if (!db.open) return resolve(total)
        const { changes } = remove.run(sourceId, chunk)
        total += changes
        if (changes === 0) resolve(total)
        else setImmediate(step)
      } catch (error) {
        reject(error)
      }
    }
    step()
  })
}
