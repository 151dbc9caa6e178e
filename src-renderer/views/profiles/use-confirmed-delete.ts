// Deleting a definition after the user confirms: the pending one, the engine's refusal (e.g. a trait an
// audience still uses) and a busy flag, shared by the computed-trait and audience lists.

import { useState } from 'react'
import { errorMessage } from '../../api/api-error'

export function useConfirmedDelete<T extends { id: number }>(remove: (id: number) => Promise<void>, afterDelete: (deleted: T) => void | Promise<void>) {
  const [deleting, setDeleting] = useState<T | null>(null)
  const [deleteError, setDeleteError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const confirm = async (): Promise<void> => {
    if (!deleting) return
    setBusy(true)
    setDeleteError(null)
    try {
      await remove(deleting.id)
      const deleted = deleting
      setDeleting(null)
      await afterDelete(deleted)
    } catch (e) {
      setDeleteError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }

  return { deleting, setDeleting, deleteError, setDeleteError, busy, confirm }
}
