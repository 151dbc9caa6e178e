// Asks before a computed trait or audience is deleted, showing the engine's refusal if it says no.

import type { ReactNode } from 'react'
import { ConfirmDialog } from '../../components/confirm-dialog'

/** What of useDefinitionList this needs (typed loosely, so any definition's list fits). */
interface DeletingList {
  deleting: { name: string } | null
  busy: boolean
  deleteError: string | null
  confirm(): Promise<void>
  setDeleting(value: null): void
  setDeleteError(value: null): void
}

export function DeleteDefinitionDialog({ list, children }: { list: DeletingList; children: ReactNode }) {
  return (
    <ConfirmDialog
      open={list.deleting !== null}
      title={`Delete “${list.deleting?.name ?? ''}”?`}
      confirmLabel="Delete"
      busy={list.busy}
      error={list.deleteError}
      onConfirm={() => void list.confirm()}
      onCancel={() => {
        list.setDeleting(null)
        list.setDeleteError(null)
      }}
    >
      {children}
    </ConfirmDialog>
  )
}
