// A live preview of a draft: asked for 400 ms after the draft stops changing, the earlier question
// dropped when a newer one goes out, so the count always belongs to what the form shows.

import { useEffect, useState } from 'react'
import type { ComputationPreview } from '../../../src-shared/identity'
import { ApiError, errorMessage } from '../../api/api-error'

export const PREVIEW_DEBOUNCE_MS = 400

export interface PreviewState {
  preview: ComputationPreview | null
  /** The engine's refusal of the draft as it stands (a field still empty, say). */
  error: string | null
  pending: boolean
}

/** `missing`: what the draft still lacks, said instead of asking the engine a question it would refuse. */
export function usePreview<T>(draft: T, ask: (draft: T, signal: AbortSignal) => Promise<ComputationPreview>, missing: string | null = null): PreviewState {
  const key = JSON.stringify(draft)
  const [state, setState] = useState<PreviewState>({ preview: null, error: null, pending: true })

  useEffect(() => {
    if (missing) {
      setState({ preview: null, error: missing, pending: false })
      return
    }
    const abort = new AbortController()
    setState((s) => ({ ...s, pending: true }))
    const timer = setTimeout(() => {
      ask(JSON.parse(key) as T, abort.signal)
        .then((preview) => setState({ preview, error: null, pending: false }))
        .catch((e: unknown) => {
          if (abort.signal.aborted) return
          setState({ preview: null, error: e instanceof ApiError && e.field ? `${e.field}: ${e.message.startsWith(`${e.field}: `) ? e.message.slice(e.field.length + 2) : e.message}` : errorMessage(e), pending: false })
        })
    }, PREVIEW_DEBOUNCE_MS)
    return () => {
      clearTimeout(timer)
      abort.abort()
    }
    // `ask` is a stable module function in practice; the draft's text is what changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, missing])

  return state
}
