// A list of definitions (computed traits, audiences): kept fresh while shown (one computing from history turns
// live on its own), the one being edited, and deleting after the user confirms — the pending one, the engine's
// refusal (e.g. a trait an audience still uses) and a busy flag.

import { useEffect, useState } from 'react'
import { errorMessage } from '../../api/api-error'

const REFRESH_MS = 3000

export function useDefinitionList<T extends { id: number }>(reload: () => Promise<unknown>, remove: (id: number) => Promise<void>, loadAlso?: () => Promise<unknown>) {
  const [editing, setEditing] = useState<T | null>(null)
  const [deleting, setDeleting] = useState<T | null>(null)
  const [deleteError, setDeleteError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    void loadAlso?.()
    void reload()
    const timer = setInterval(() => void reload(), REFRESH_MS)
    return () => clearInterval(timer)
    // Once per list: the loaders are store actions, the same for its whole life.
  }, [])

  const confirm = async (): Promise<void> => {
    if (!deleting) return
    setBusy(true)
    setDeleteError(null)
    try {
      await remove(deleting.id)
      if (editing?.id === deleting.id) setEditing(null)
      setDeleting(null)
      await reload()
    } catch (e) {
      setDeleteError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }

  return { editing, setEditing, deleting, setDeleting, deleteError, setDeleteError, busy, confirm }
}
