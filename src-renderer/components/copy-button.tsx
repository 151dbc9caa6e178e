// Copies text with the async clipboard API. It needs a secure context: loopback is one; a plain-http
// LAN address (loupe serve --host) is not, and then the button says so instead of failing silently.

import { useEffect, useState } from 'react'

export interface CopyButtonProps {
  /** The text, or a function for text that is costly or must be read at click time. */
  text: string | (() => string | Promise<string>)
  label?: string
  /** Accessible name, when the visible label alone would be ambiguous ("Copy" next to many things). */
  title?: string
  className?: string
}

type CopyState = 'idle' | 'copied' | 'failed'

export function CopyButton({ text, label = 'Copy', title, className = '' }: CopyButtonProps) {
  const [state, setState] = useState<CopyState>('idle')

  useEffect(() => {
    if (state === 'idle') return
    const timer = setTimeout(() => setState('idle'), 1500)
    return () => clearTimeout(timer)
  }, [state])

  const copy = async (): Promise<void> => {
    if (!navigator.clipboard) return setState('failed')
    try {
      await navigator.clipboard.writeText(typeof text === 'function' ? await text() : text)
      setState('copied')
    } catch {
      setState('failed')
    }
  }

  const shown = state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : label
  return (
    <button type="button" className={`button small copy-button ${state} ${className}`} onClick={() => void copy()} title={state === 'failed' ? 'The clipboard needs https or localhost; select the text instead.' : title} aria-label={title ?? label} data-state={state}>
      {shown}
    </button>
  )
}
