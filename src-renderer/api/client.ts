// The one typed client of the admin surface. The renderer is served by the engine on its admin origin,
// so every call is same-origin: the HttpOnly session cookie set by /login goes along by itself and no
// token ever touches JavaScript. A 401 anywhere means the session is missing; listeners (the auth
// store) switch the UI to the login screen.

import type {
  CaptureState,
  CreateSourceRequest,
  EventRecord,
  EventsPage,
  EventsQuery,
  SessionState,
  Source,
  Stats,
  UpdateSourceRequest
} from '../../src-shared/api'
import { ApiError, toApiError } from './api-error'
import { withQuery } from './query-string'

type Listener = () => void
const unauthorizedListeners = new Set<Listener>()

export function onUnauthorized(listener: Listener): () => void {
  unauthorizedListeners.add(listener)
  return () => unauthorizedListeners.delete(listener)
}

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'
  body?: unknown
  signal?: AbortSignal
}

async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' }
  // Writes must be application/json: the engine refuses anything a cross-site form could send.
  if (options.body !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(path, {
    method: options.method ?? 'GET',
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    credentials: 'same-origin',
    signal: options.signal
  })
  if (res.status === 401) for (const listener of unauthorizedListeners) listener()
  if (!res.ok) throw await toApiError(res)
  return (await res.json()) as T
}

export const api = {
  /** Whether the session cookie is valid; answers 200 either way, so no 401 lands in the console. */
  session(): Promise<SessionState> {
    return request('/api/session')
  },
  listEvents(query: EventsQuery, signal?: AbortSignal): Promise<EventsPage> {
    return request(withQuery('/api/events', query), { signal })
  },
  getEvent(id: string, signal?: AbortSignal): Promise<EventRecord> {
    return request(`/api/events/${encodeURIComponent(id)}`, { signal })
  },
  async listSources(): Promise<Source[]> {
    return (await request<{ sources: Source[] }>('/api/sources')).sources
  },
  createSource(body: CreateSourceRequest): Promise<Source> {
    return request('/api/sources', { method: 'POST', body })
  },
  updateSource(id: number, body: UpdateSourceRequest): Promise<Source> {
    return request(`/api/sources/${id}`, { method: 'PATCH', body })
  },
  async deleteSource(id: number): Promise<Source> {
    return (await request<{ deleted: Source }>(`/api/sources/${id}`, { method: 'DELETE' })).deleted
  },
  stats(): Promise<Stats> {
    return request('/api/stats')
  },
  setCapture(body: CaptureState): Promise<CaptureState> {
    return request('/api/capture', { method: 'PUT', body })
  }
}

export type Api = typeof api
export { ApiError }
