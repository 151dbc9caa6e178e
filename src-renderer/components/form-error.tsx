// The one way a view shows a failed request or a refused input: announced to screen readers, as text.

export function FormError({ message, inline = false }: { message: string | null | undefined; inline?: boolean }) {
  if (!message) return null
  return inline ? (
    <span className="form-error" role="alert">
      {message}
    </span>
  ) : (
    <p className="form-error" role="alert">
      {message}
    </p>
  )
}
