// The one typed client of the admin surface. The renderer is served by the engine on its admin origin,
// so every call is same-origin: the HttpOnly session cookie set by /login goes along by itself and no
// token ever touches JavaScript. A 401 anywhere means the session is missing; listeners (the auth
// store) switch the UI to the login screen.

import type {
  CaptureState,
  CatalogueDestination,
  CatalogueEntry,
  CreateDestinationRequest,
  CreateReplayRequest,
  DeliveryAttemptsPage,
  DeliveryMetrics,
  Destination,
  DestinationStatus,
  EventDelivery,
  FilterPreviewRequest,
  FilterPreviewResult,
  ReplayDryRun,
  ReplayJob,
  TestDeliveryRequest,
  TestDeliveryResult,
  UpdateDestinationRequest,
  CreateSourceRequest,
  EventRecord,
  EventsPage,
  EventsQuery,
  SessionState,
  Source,
  Stats,
  UpdateSourceRequest
} from '../../src-shared/api'
import type { AssertResult, ClearResult, CreateRunRequest, ExpectationsFile, ExpectationsResult, TestRun } from '../../src-shared/qa'
import type { CreateFaultRuleRequest, FaultRule, FaultsState, UpdateFaultRuleRequest } from '../../src-shared/faults'
import type { ExportQuery, ImportJob } from '../../src-shared/sessions'
import type { ReleaseQuarantineRequest, ReleaseQuarantineResult, SourceEnforcement, UpdateEnforcementRequest, ViolationsRange, ViolationsReport } from '../../src-shared/enforcement'
import type { WarehouseSettings, WarehouseStatus, WarehouseTestResult } from '../../src-shared/warehouse'
import type { CustomMatcher, Deletion, MatcherInfo, PiiField, PiiInventory, PrivacySettings, SourcePrivacy, SuppressRequest, Suppression, TriageRequest } from '../../src-shared/privacy'
import type { CreatePlanRequest, InferPlanRequest, PlanDiff, PlanVersion, PlanVersionSummary, RevalidateJob, RevalidateRequest, SegmentPlanFile, SourceSchema, TrackingPlan, UpdatePlanRequest } from '../../src-shared/plans'
import { ApiError, toApiError } from './api-error'
import { identityApi } from './identity-api'
import { withQuery } from './query-string'

type Listener = () => void
const unauthorizedListeners = new Set<Listener>()

export function onUnauthorized(listener: Listener): () => void {
  unauthorizedListeners.add(listener)
  return () => unauthorizedListeners.delete(listener)
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'
  body?: unknown
  signal?: AbortSignal
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
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
  // 204 No Content (deletes) has no body to read.
  if (res.status === 204) return undefined as T
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
  /** Fault-injection rules of one source, their counts and its last injected failures (newest first). */
  listFaults(sourceId: number, signal?: AbortSignal): Promise<FaultsState> {
    return request(`/api/faults?sourceId=${sourceId}`, { signal })
  },
  createFault(body: CreateFaultRuleRequest): Promise<FaultRule> {
    return request('/api/faults', { method: 'POST', body })
  },
  updateFault(id: number, body: UpdateFaultRuleRequest): Promise<FaultRule> {
    return request(`/api/faults/${id}`, { method: 'PATCH', body })
  },
  async deleteFault(id: number): Promise<FaultRule> {
    return (await request<{ deleted: FaultRule }>(`/api/faults/${id}`, { method: 'DELETE' })).deleted
  },
  stats(): Promise<Stats> {
    return request('/api/stats')
  },
  setCapture(body: CaptureState): Promise<CaptureState> {
    return request('/api/capture', { method: 'PUT', body })
  },
  ...routingApi(),
  ...runsApi(),
  ...sessionsApi(),
  ...plansApi(),
  ...enforcementApi(),
  ...warehouseApi(),
  ...privacyApi(),
  ...identityApi()
}

/** QA mode: test runs, their events and expectations checked against them. */
function runsApi() {
  const run = (id: string, rest = ''): string => `/api/runs/${encodeURIComponent(id)}${rest}`
  return {
    async listRuns(signal?: AbortSignal): Promise<TestRun[]> {
      return (await request<{ runs: TestRun[] }>('/api/runs', { signal })).runs
    },
    getRun(id: string, signal?: AbortSignal): Promise<TestRun> {
      return request(run(id), { signal })
    },
    createRun(body: CreateRunRequest = {}): Promise<TestRun> {
      return request('/api/runs', { method: 'POST', body })
    },
    endRun(id: string): Promise<TestRun> {
      return request(run(id, '/end'), { method: 'POST', body: {} })
    },
    clearRun(id: string): Promise<ClearResult> {
      return request(run(id, '/events'), { method: 'DELETE' })
    },
    /** A run's events, newest first; `min: 0` makes it a query, so an empty run is no failure. */
    async runEvents(id: string, limit = 500, signal?: AbortSignal): Promise<AssertResult> {
      return request('/api/assert/events', { method: 'POST', body: { match: { runId: id }, count: { min: 0 }, limit }, signal })
    },
    checkExpectations(body: ExpectationsFile, signal?: AbortSignal): Promise<ExpectationsResult> {
      return request('/api/assert/expectations', { method: 'POST', body, signal })
    }
  }
}

/** Destinations, deliveries, replays and the Action destinations catalogue. */
function routingApi() {
  const dest = (id: number, rest = ''): string => `/api/destinations/${id}${rest}`
  return {
    async listDestinations(signal?: AbortSignal): Promise<Destination[]> {
      return (await request<{ destinations: Destination[] }>('/api/destinations', { signal })).destinations
    },
    getDestination(id: number, signal?: AbortSignal): Promise<Destination> {
      return request(dest(id), { signal })
    },
    createDestination(body: CreateDestinationRequest): Promise<Destination> {
      return request('/api/destinations', { method: 'POST', body })
    },
    updateDestination(id: number, body: UpdateDestinationRequest): Promise<Destination> {
      return request(dest(id), { method: 'PATCH', body })
    },
    async deleteDestination(id: number): Promise<Destination> {
      return (await request<{ deleted: Destination }>(dest(id), { method: 'DELETE' })).deleted
    },
    listAttempts(id: number, query: { limit?: number; cursor?: string | null } = {}, signal?: AbortSignal): Promise<DeliveryAttemptsPage> {
      const params = new URLSearchParams()
      if (query.limit) params.set('limit', String(query.limit))
      if (query.cursor) params.set('cursor', query.cursor)
      const qs = params.toString()
      return request(dest(id, `/attempts${qs ? `?${qs}` : ''}`), { signal })
    },
    metrics(id: number, since: string, bucketMs: number, signal?: AbortSignal): Promise<DeliveryMetrics> {
      return request(dest(id, `/metrics?${new URLSearchParams({ since, bucket: String(bucketMs) }).toString()}`), { signal })
    },
    testDelivery(id: number, body: TestDeliveryRequest = {}): Promise<TestDeliveryResult> {
      return request(dest(id, '/test'), { method: 'POST', body })
    },
    previewFilters(body: FilterPreviewRequest, signal?: AbortSignal): Promise<FilterPreviewResult> {
      return request('/api/destinations/filters/preview', { method: 'POST', body, signal })
    },
    /** Skips the backoff wait. The engine answers with the status only; reload the destination for the rest. */
    retryNow(id: number): Promise<{ retried: boolean; status: DestinationStatus }> {
      return request(dest(id, '/retry-now'), { method: 'POST', body: {} })
    },
    retryFailed(id: number): Promise<ReplayJob> {
      return request(dest(id, '/retry-failed'), { method: 'POST', body: {} })
    },
    async discardFailed(id: number): Promise<number> {
      return (await request<{ discarded: number }>(dest(id, '/discard-failed'), { method: 'POST', body: {} })).discarded
    },
    async eventDeliveries(eventId: string, signal?: AbortSignal): Promise<EventDelivery[]> {
      return (await request<{ deliveries: EventDelivery[] }>(`/api/events/${encodeURIComponent(eventId)}/deliveries`, { signal })).deliveries
    },
    async catalogue(query: { q?: string; category?: string } = {}, signal?: AbortSignal): Promise<CatalogueEntry[]> {
      const params = new URLSearchParams()
      if (query.q) params.set('q', query.q)
      if (query.category) params.set('category', query.category)
      const qs = params.toString()
      return (await request<{ destinations: CatalogueEntry[] }>(`/api/catalogue${qs ? `?${qs}` : ''}`, { signal })).destinations
    },
    catalogueDestination(slug: string, signal?: AbortSignal): Promise<CatalogueDestination> {
      return request(`/api/catalogue/${encodeURIComponent(slug)}`, { signal })
    },
    createReplay(body: CreateReplayRequest): Promise<ReplayJob | ReplayDryRun> {
      return request('/api/replays', { method: 'POST', body })
    },
    async listReplays(signal?: AbortSignal): Promise<ReplayJob[]> {
      return (await request<{ replays: ReplayJob[] }>('/api/replays', { signal })).replays
    },
    controlReplay(id: number, action: 'pause' | 'resume' | 'cancel'): Promise<ReplayJob> {
      return request(`/api/replays/${id}/${action}`, { method: 'POST', body: {} })
    }
  }
}

export type Api = typeof api

/**
 * Downloads are plain same-origin navigations (the session cookie goes along, the browser saves the file
 * under the engine's Content-Disposition name): the Settings screen links to these.
 */
export const downloads = {
  /** A consistent copy of the running engine's database (`loupe-backup-<time>.db`). */
  backup: '/api/backup',
  /** The sources and destinations as a config file for `loupe serve --config`; secrets as `${LOUPE_SECRET_…}`. */
  configExport: (format: 'yaml' | 'json'): string => `/api/config/export?format=${format}`
}
export { ApiError }

/** Session export / import (QA mode). */
function sessionsApi() {
  return {
    /** A same-origin download link: the session cookie goes along, the browser streams the file to disk. */
    exportUrl(query: ExportQuery): string {
      const params = new URLSearchParams()
      for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== null && String(value).trim() !== '') params.set(key, String(value))
      const text = params.toString()
      return `/api/export${text ? `?${text}` : ''}`
    },
    /** Uploads NDJSON (or gzip) as is; the engine recognises gzip by its bytes. */
    async startImport(file: Blob, sourceId: number | null): Promise<ImportJob> {
      const res = await fetch(`/api/import${sourceId === null ? '' : `?sourceId=${sourceId}`}`, {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': file instanceof File && file.name.endsWith('.gz') ? 'application/gzip' : 'application/x-ndjson' },
        body: file,
        credentials: 'same-origin'
      })
      if (res.status === 401) for (const listener of unauthorizedListeners) listener()
      if (!res.ok) throw await toApiError(res)
      return (await res.json()) as ImportJob
    },
    getImport(id: string, signal?: AbortSignal): Promise<ImportJob> {
      return request(`/api/import/${encodeURIComponent(id)}`, { signal })
    }
  }
}

/** Tracking plans (Protocols): plans and their versions, inference, re-validation, a source's observed schema. */
function plansApi() {
  const plan = (id: number, rest = ''): string => `/api/plans/${id}${rest}`
  return {
    async listPlans(signal?: AbortSignal): Promise<TrackingPlan[]> {
      return (await request<{ plans: TrackingPlan[] }>('/api/plans', { signal })).plans
    },
    getPlan(id: number, signal?: AbortSignal): Promise<TrackingPlan> {
      return request(plan(id), { signal })
    },
    createPlan(body: CreatePlanRequest): Promise<TrackingPlan> {
      return request('/api/plans', { method: 'POST', body })
    },
    updatePlan(id: number, body: UpdatePlanRequest): Promise<TrackingPlan> {
      return request(plan(id), { method: 'PATCH', body })
    },
    async deletePlan(id: number): Promise<TrackingPlan> {
      return (await request<{ deleted: TrackingPlan }>(plan(id), { method: 'DELETE' })).deleted
    },
    async planVersions(id: number, signal?: AbortSignal): Promise<PlanVersionSummary[]> {
      return (await request<{ versions: PlanVersionSummary[] }>(plan(id, '/versions'), { signal })).versions
    },
    /** The rules as they were at one version. */
    planVersion(id: number, version: number, signal?: AbortSignal): Promise<PlanVersion> {
      return request(plan(id, `/versions/${version}`), { signal })
    },
    /** Which rules two versions add, remove and change (with the JSON pointers that differ). */
    planDiff(id: number, from: number, to: number, signal?: AbortSignal): Promise<PlanDiff> {
      return request(plan(id, `/diff?from=${from}&to=${to}`), { signal })
    },
    /** Segment's plan JSON or a JSON Schema file per event, as parsed from the file: the engine names what is wrong. */
    importPlan(body: unknown): Promise<TrackingPlan> {
      return request('/api/plans/import', { method: 'POST', body })
    },
    /** A same-origin download (the engine names the file). */
    exportPlanUrl: (id: number): string => plan(id, '/export'),
    exportPlan(id: number, signal?: AbortSignal): Promise<SegmentPlanFile> {
      return request(plan(id, '/export'), { signal })
    },
    /** A draft from stored traffic: reviewed in the editor, saved as a new plan. */
    async inferPlan(body: InferPlanRequest, signal?: AbortSignal): Promise<CreatePlanRequest> {
      return request('/api/plans/infer', { method: 'POST', body, signal })
    },
    revalidate(id: number, body: RevalidateRequest): Promise<RevalidateJob> {
      return request(plan(id, '/revalidate'), { method: 'POST', body })
    },
    revalidateJob(id: number, jobId: string, signal?: AbortSignal): Promise<RevalidateJob> {
      return request(plan(id, `/revalidate/${encodeURIComponent(jobId)}`), { signal })
    },
    sourceSchema(sourceId: number, signal?: AbortSignal): Promise<SourceSchema> {
      return request(`/api/sources/${sourceId}/schema`, { signal })
    }
  }
}

/** Validation at ingest: the violations report, a source's enforcement settings and its quarantine. */
function enforcementApi() {
  return {
    violations(query: { source?: number; range: ViolationsRange }, signal?: AbortSignal): Promise<ViolationsReport> {
      const params = new URLSearchParams()
      if (query.source !== undefined) params.set('source', String(query.source))
      params.set('range', query.range)
      return request(`/api/violations?${params.toString()}`, { signal })
    },
    getEnforcement(sourceId: number, signal?: AbortSignal): Promise<SourceEnforcement> {
      return request(`/api/sources/${sourceId}/enforcement`, { signal })
    },
    updateEnforcement(sourceId: number, body: UpdateEnforcementRequest): Promise<SourceEnforcement> {
      return request(`/api/sources/${sourceId}/enforcement`, { method: 'PUT', body })
    },
    releaseQuarantine(sourceId: number, body: ReleaseQuarantineRequest = {}): Promise<ReleaseQuarantineResult> {
      return request(`/api/sources/${sourceId}/quarantine/release`, { method: 'POST', body })
    }
  }
}

/** The PostgreSQL warehouse destination: the connection test, its tables and columns, "sync now". */
function warehouseApi() {
  return {
    /** `destinationId` when editing a saved warehouse: its masked password, sent back, means the saved one. */
    testWarehouse(settings: WarehouseSettings, destinationId?: number): Promise<WarehouseTestResult> {
      return request('/api/warehouse/test', { method: 'POST', body: destinationId === undefined ? { settings } : { settings, destinationId } })
    },
    warehouseStatus(id: number, signal?: AbortSignal): Promise<WarehouseStatus> {
      return request(`/api/destinations/${id}/warehouse`, { signal })
    },
    syncWarehouse(id: number): Promise<{ syncing: boolean }> {
      return request(`/api/destinations/${id}/sync`, { method: 'POST', body: {} })
    }
  }
}

export type PrivacySettingsInput = Omit<PrivacySettings, 'custom'> & { custom: (Omit<CustomMatcher, 'id'> & { id?: string })[] }

/** Privacy: matchers and their classes, the PII inventory and its inbox, per-source blocking, suppressions, deletions. */
function privacyApi() {
  const sourceQuery = (sourceId?: number): string => (sourceId === undefined ? '' : `?source=${sourceId}`)
  return {
    async privacyMatchers(signal?: AbortSignal): Promise<MatcherInfo[]> {
      return (await request<{ matchers: MatcherInfo[] }>('/api/privacy/matchers', { signal })).matchers
    },
    privacySettings(signal?: AbortSignal): Promise<PrivacySettings> {
      return request('/api/privacy/settings', { signal })
    },
    /** A new custom matcher may come without its id: the engine makes it from the name. */
    updatePrivacySettings(body: PrivacySettingsInput): Promise<PrivacySettings> {
      return request('/api/privacy/settings', { method: 'PUT', body })
    },
    piiInventory(sourceId?: number, signal?: AbortSignal): Promise<PiiInventory> {
      return request(`/api/privacy/inventory${sourceQuery(sourceId)}`, { signal })
    },
    /** A same-origin download (the engine names the file). */
    piiInventoryCsvUrl: (sourceId?: number): string => `/api/privacy/inventory.csv${sourceQuery(sourceId)}`,
    triagePiiField(body: TriageRequest): Promise<PiiField> {
      return request('/api/privacy/inventory/triage', { method: 'POST', body })
    },
    sourcePrivacy(sourceId: number, signal?: AbortSignal): Promise<SourcePrivacy> {
      return request(`/api/sources/${sourceId}/privacy`, { signal })
    },
    updateSourcePrivacy(sourceId: number, body: SourcePrivacy): Promise<SourcePrivacy> {
      return request(`/api/sources/${sourceId}/privacy`, { method: 'PUT', body })
    },
    async suppressions(signal?: AbortSignal): Promise<Suppression[]> {
      return (await request<{ suppressions: Suppression[] }>('/api/privacy/suppressions', { signal })).suppressions
    },
    suppress(body: SuppressRequest): Promise<Suppression> {
      return request('/api/privacy/suppressions', { method: 'POST', body })
    },
    async unsuppress(body: SuppressRequest): Promise<boolean> {
      return (await request<{ removed: boolean }>('/api/privacy/suppressions/remove', { method: 'POST', body })).removed
    },
    async deletions(signal?: AbortSignal): Promise<Deletion[]> {
      return (await request<{ deletions: Deletion[] }>('/api/privacy/deletions', { signal })).deletions
    },
    getDeletion(id: number, signal?: AbortSignal): Promise<Deletion> {
      return request(`/api/privacy/deletions/${id}`, { signal })
    },
    requestDeletion(body: SuppressRequest): Promise<Deletion> {
      return request('/api/privacy/deletions', { method: 'POST', body: { ...body, confirm: true } })
    }
  }
}
