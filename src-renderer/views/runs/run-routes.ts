// The Runs screen's paths: `/runs` (the list) and `/runs/<id>` (a run open beside it).

export const RUNS_PATH = '/runs'

export function runPath(id: string): string {
  return `${RUNS_PATH}/${encodeURIComponent(id)}`
}

/** null: not a Runs path; `{ id: null }`: the list alone. */
export function runsScreenOf(path: string): { id: string | null } | null {
  if (path === RUNS_PATH || path === `${RUNS_PATH}/`) return { id: null }
  const m = /^\/runs\/([^/]+)$/.exec(path)
  if (!m) return null
  try {
    return { id: decodeURIComponent(m[1]!) }
  } catch {
    return null
  }
}
