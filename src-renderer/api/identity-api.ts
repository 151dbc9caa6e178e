// Identity resolution (issue #8): merge rules, status and the audit trail, profiles with their timeline and
// graph, computed traits and audiences. Spread into `api` by client.ts.

import type {
  Audience,
  AudienceDefinition,
  ComputationPreview,
  ComputedTrait,
  ComputedTraitDefinition,
  IdentityGraph,
  IdentityLogEntry,
  IdentityLogKind,
  IdentitySettings,
  IdentitySettingsChange,
  IdentityStatus,
  ProfileDetail,
  ProfileEventsPage,
  ProfileSummary
} from '../../src-shared/identity'
import { request } from './client'

export interface ProfilesPage {
  profiles: ProfileSummary[]
  /** Only an empty search pages; pass as `cursor`. */
  next: string | null
}

export interface ProfilesQuery {
  q?: string
  limit?: number
  cursor?: string
}

export interface IdentityLogQuery {
  profile?: number
  kind?: IdentityLogKind
  limit?: number
}

/** Only the keys that are set go out: the engine refuses empty or odd parameters. */
function query(path: string, params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, String(value))
  const text = search.toString()
  return text ? `${path}?${text}` : path
}

export function identityApi() {
  const profile = (id: number, rest = ''): string => `/api/profiles/${id}${rest}`
  return {
    identitySettings(signal?: AbortSignal): Promise<IdentitySettings> {
      return request('/api/identity/settings', { signal })
    },
    /** With `rebuild: true` the graph is rebuilt from history under the new rules. */
    updateIdentitySettings(body: IdentitySettingsChange): Promise<IdentitySettings> {
      return request('/api/identity/settings', { method: 'PUT', body })
    },
    rebuildIdentity(): Promise<IdentityStatus> {
      return request('/api/identity/rebuild', { method: 'POST', body: {} })
    },
    identityStatus(signal?: AbortSignal): Promise<IdentityStatus> {
      return request('/api/identity/status', { signal })
    },
    async identityLog(q: IdentityLogQuery = {}, signal?: AbortSignal): Promise<IdentityLogEntry[]> {
      return (await request<{ entries: IdentityLogEntry[] }>(query('/api/identity/log', { ...q }), { signal })).entries
    },
    listProfiles(q: ProfilesQuery = {}, signal?: AbortSignal): Promise<ProfilesPage> {
      return request(query('/api/profiles', { ...q }), { signal })
    },
    /** A merged-away id answers with the profile it joined: compare the answer's `id`. */
    getProfile(id: number, signal?: AbortSignal): Promise<ProfileDetail> {
      return request(profile(id), { signal })
    },
    profileEvents(id: number, page: { limit?: number; before?: string } = {}, signal?: AbortSignal): Promise<ProfileEventsPage> {
      return request(query(profile(id, '/events'), page), { signal })
    },
    profileGraph(id: number, signal?: AbortSignal): Promise<IdentityGraph> {
      return request(profile(id, '/graph'), { signal })
    },
    async computedTraits(signal?: AbortSignal): Promise<ComputedTrait[]> {
      return (await request<{ traits: ComputedTrait[] }>('/api/computed-traits', { signal })).traits
    },
    createComputedTrait(body: ComputedTraitDefinition): Promise<ComputedTrait> {
      return request('/api/computed-traits', { method: 'POST', body })
    },
    updateComputedTrait(id: number, body: ComputedTraitDefinition): Promise<ComputedTrait> {
      return request(`/api/computed-traits/${id}`, { method: 'PUT', body })
    },
    deleteComputedTrait(id: number): Promise<void> {
      return request<void>(`/api/computed-traits/${id}`, { method: 'DELETE' })
    },
    previewComputedTrait(body: Omit<ComputedTraitDefinition, 'name'>, signal?: AbortSignal): Promise<ComputationPreview> {
      return request('/api/computed-traits/preview', { method: 'POST', body, signal })
    },
    async audiences(signal?: AbortSignal): Promise<Audience[]> {
      return (await request<{ audiences: Audience[] }>('/api/audiences', { signal })).audiences
    },
    createAudience(body: AudienceDefinition): Promise<Audience> {
      return request('/api/audiences', { method: 'POST', body })
    },
    updateAudience(id: number, body: AudienceDefinition): Promise<Audience> {
      return request(`/api/audiences/${id}`, { method: 'PUT', body })
    },
    deleteAudience(id: number): Promise<void> {
      return request<void>(`/api/audiences/${id}`, { method: 'DELETE' })
    },
    previewAudience(body: Omit<AudienceDefinition, 'name'>, signal?: AbortSignal): Promise<ComputationPreview> {
      return request('/api/audiences/preview', { method: 'POST', body, signal })
    },
    async audienceMembers(id: number, limit = 50, signal?: AbortSignal): Promise<ProfileSummary[]> {
      return (await request<{ profiles: ProfileSummary[] }>(query(`/api/audiences/${id}/members`, { limit }), { signal })).profiles
    }
  }
}
