// The save row of the profiles forms: what the last save said, Cancel while editing, and the submit button.

export function FormFooter({ saved, onCancel, busy, submitLabel }: { saved: string | null; onCancel?: () => void; busy: boolean; submitLabel: string }) {
  return (
    <div className="form-footer">
      {saved && (
        <p className="saved-note" role="status">
          {saved}
        </p>
      )}
      {onCancel && (
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      )}
      <button type="submit" className="button primary" disabled={busy}>
        {busy ? 'Saving…' : submitLabel}
      </button>
    </div>
  )
}
