// A source by id for the detail pane, loading the list when the id is new to it (a source that a
// client created on the fly a moment ago). `sourceById` is for click-time reads that must not race.

import { useEffect } from 'react'
import type { Source } from '../../src-shared/api'
import { findSource, useSources } from './sources-store'

let lastReload = 0

async function reloadOnce(): Promise<void> {
  if (Date.now() - lastReload < 500) return
  lastReload = Date.now()
  await useSources.getState().load()
}

export function useSource(id: number): Source | undefined {
  const source = useSources((s) => findSource(s.sources, id))
  useEffect(() => {
    if (!source) void reloadOnce()
  }, [source, id])
  return source
}

export async function sourceById(id: number): Promise<Source | undefined> {
  const known = findSource(useSources.getState().sources, id)
  if (known) return known
  await useSources.getState().load()
  return findSource(useSources.getState().sources, id)
}
