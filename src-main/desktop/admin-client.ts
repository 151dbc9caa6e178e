// Main's own calls to the engine's admin API (the tray's counter and pause switch). They use the bearer
// token main got from the engine host; Node's fetch sends no Origin header, which is how the admin
// surface tells a trusted local client from a web page.

import type { CaptureState, Stats } from '../../src-shared/api'

export interface AdminTarget {
  baseUrl: string
  token: string
}

export class AdminRequestError extends Error {
  constructor(readonly status: number, message: string) {
    super(message)
  }
}

async function call<T>(target: AdminTarget, path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(new URL(path, target.baseUrl), {
    ...init,
    headers: { authorization: `Bearer ${target.token}`, ...(init.body ? { 'content-type': 'application/json' } : {}) },
    signal: AbortSignal.timeout(5000)
  })
  if (!response.ok) throw new AdminRequestError(response.status, `${init.method ?? 'GET'} ${path}: HTTP ${response.status}`)
  return (await response.json()) as T
}

export function fetchStats(target: AdminTarget): Promise<Stats> {
  return call<Stats>(target, '/api/stats')
}

/** While paused the engine answers tracking calls 503 + Retry-After: clients keep their events and retry. */
export function setCapturePaused(target: AdminTarget, paused: boolean): Promise<CaptureState> {
  return call<CaptureState>(target, '/api/capture', { method: 'PUT', body: JSON.stringify({ paused }) })
}
