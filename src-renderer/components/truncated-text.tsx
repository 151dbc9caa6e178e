// Long strings (a 50 KB base64 blob in a property) would blow up a row or the detail; show the start
// and let the reader expand it. Always plain text.

import { useState } from 'react'

export const TRUNCATE_AT = 300

export function TruncatedText({ text, limit = TRUNCATE_AT }: { text: string; limit?: number }) {
  const [expanded, setExpanded] = useState(false)
  if (text.length <= limit) return <>{text}</>
  return (
    <>
      {expanded ? text : `${text.slice(0, limit)}…`}
      <button type="button" className="link-button expand" onClick={() => setExpanded(!expanded)}>
        {expanded ? 'Show less' : `Show all ${text.length.toLocaleString('en-US')} characters`}
      </button>
    </>
  )
}
