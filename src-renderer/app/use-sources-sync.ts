// Source names appear in every event row, and clients create sources on the fly (unknown write keys),
// so the list is reloaded when the engine's source count changes, and at once when a live event
// names a source the list does not know yet.

import { useEffect } from 'react'
import { useSources } from '../state/sources-store'
import { useStats } from '../state/stats-store'
import { useLive } from '../state/use-live'

const RELOAD_GAP_MS = 1000

export function useSourcesSync(enabled: boolean): void {
  const count = useStats((s) => s.stats?.sources)

  useEffect(() => {
    if (!enabled || count === undefined) return
    const { sources, loaded, load } = useSources.getState()
    if (!loaded || sources.length !== count) void load()
  }, [enabled, count])

  useEffect(() => {
    if (!enabled) return
    let last = 0
    return useLive.subscribe((state, previous) => {
      if (state.events === previous.events || state.events.length === 0) return
      const { sources, load } = useSources.getState()
      const known = new Set(sources.map((s) => s.id))
      // The newest rows are the ones that can carry a new source.
      const unknown = state.events.slice(0, 50).some((e) => !known.has(e.sourceId))
      if (unknown && Date.now() - last > RELOAD_GAP_MS) {
        last = Date.now()
        void load()
      }
    })
  }, [enabled])
}
