// The admin API's error body (`{ error: { code, message, field? } }`) as a thrown value, so views can
// show the engine's own message and tests can match on the code.

import type { ApiErrorBody } from '../../src-shared/errors'

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

export async function toApiError(res: Response): Promise<ApiError> {
  try {
    const body = (await res.json()) as Partial<ApiErrorBody>
    if (body.error && typeof body.error.message === 'string') {
      return new ApiError(res.status, String(body.error.code), body.error.message, body.error.field)
    }
  } catch {
    // Not JSON (a proxy's HTML error page, say): fall through to the status line.
  }
  return new ApiError(res.status, 'ERR_HTTP', `The engine answered ${res.status} ${res.statusText}`.trim())
}

/** A message fit for the UI from anything a request threw. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message
  if (error instanceof TypeError) return 'The engine cannot be reached. Is `loupe serve` still running?'
  return error instanceof Error ? error.message : String(error)
}

/** The engine's message without the field path it may already begin with (views show the field themselves). */
export function messageAfterField(error: unknown): string {
  const message = errorMessage(error)
  const field = error instanceof ApiError ? error.field : undefined
  return field && message.startsWith(`${field}: `) ? message.slice(field.length + 2) : message
}
