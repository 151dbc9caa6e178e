// The Edit and Delete buttons of a definition's row (computed traits, audiences); Delete asks first
// (delete-definition-dialog.tsx).

export function DefinitionActions<T extends { name: string }>({ item, list }: { item: T; list: { setEditing(item: T): void; setDeleting(item: T): void } }) {
  return (
    <td className="row-actions">
      <button type="button" className="button small ghost" onClick={() => list.setEditing(item)}>
        Edit
      </button>
      <button type="button" className="button small ghost" onClick={() => list.setDeleting(item)} aria-label={`Delete ${item.name}`}>
        Delete
      </button>
    </td>
  )
}
