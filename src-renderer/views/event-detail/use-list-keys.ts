// Keyboard for a list with a detail pane: ↑/↓ move the selection (and so the detail) to the newer /
// older event, Esc closes the pane. Keys typed into a field or a dialog are left alone.

import { useEffect, useRef } from 'react'

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)
}

export function useListKeys(items: readonly { id: string }[], selectedId: string | null, select: (id: string) => void, close: () => void): void {
  // Read at key time: the Live list changes many times a second and must not re-bind the handler.
  const latest = useRef({ items, selectedId, select, close })
  latest.current = { items, selectedId, select, close }

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) return
      if (document.querySelector('dialog[open]')) return
      const { items, selectedId, select, close } = latest.current
      if (event.key === 'Escape' && selectedId !== null) {
        event.preventDefault()
        close()
        return
      }
      if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return
      if (items.length === 0) return
      event.preventDefault()
      const index = selectedId === null ? -1 : items.findIndex((item) => item.id === selectedId)
      const next = index === -1 ? 0 : Math.max(0, Math.min(items.length - 1, index + (event.key === 'ArrowDown' ? 1 : -1)))
      select(items[next]!.id)
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
}
