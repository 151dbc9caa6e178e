// An <a> that navigates with the history API (no reload) but stays a real link: middle-click, ⌘/Ctrl-
// click and "copy link" work as on any page.

import type { AnchorHTMLAttributes, MouseEvent } from 'react'
import { useRouter } from '../state/router-store'

export interface LinkProps extends AnchorHTMLAttributes<HTMLAnchorElement> {
  to: string
}

export function Link({ to, onClick, ...rest }: LinkProps) {
  const navigate = useRouter((s) => s.navigate)
  const handle = (event: MouseEvent<HTMLAnchorElement>): void => {
    onClick?.(event)
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return
    event.preventDefault()
    navigate(to)
  }
  return <a href={to} onClick={handle} {...rest} />
}
