// Replay jobs. The list refreshes itself while a job is running (progress bars move) and stops when
// none is; create and pause/resume/cancel put the engine's answer into the list at once.

import { create } from 'zustand'
import type { CreateReplayRequest, ReplayDryRun, ReplayJob } from '../../src-shared/api'
import { api } from '../api/client'
import { errorMessage } from '../api/api-error'
import { upsertById } from './destinations-store'

export const REPLAY_POLL_MS = 1000

export interface ReplayApi {
  listReplays(): Promise<ReplayJob[]>
  createReplay(body: CreateReplayRequest): Promise<ReplayJob | ReplayDryRun>
  controlReplay(id: number, action: 'pause' | 'resume' | 'cancel'): Promise<ReplayJob>
}

export interface ReplayState {
  jobs: ReplayJob[]
  loaded: boolean
  error: string | null
  load(): Promise<void>
  start(body: CreateReplayRequest): Promise<ReplayJob>
  dryRun(body: CreateReplayRequest): Promise<ReplayDryRun>
  control(id: number, action: 'pause' | 'resume' | 'cancel'): Promise<void>
}

export function isActive(job: ReplayJob): boolean {
  return job.state === 'running' || job.state === 'paused'
}

/** 0–1; an unscanned selection (total 0) of a running job shows as not started. */
export function progressOf(job: ReplayJob): number {
  if (job.state === 'done') return 1
  if (job.total <= 0) return 0
  return Math.min(1, job.processed / job.total)
}

/** Newest first. */
export function sortJobs(jobs: readonly ReplayJob[]): ReplayJob[] {
  return [...jobs].sort((a, b) => b.id - a.id)
}

export function createReplayStore(client: ReplayApi) {
  return create<ReplayState>()((set, get) => ({
    jobs: [],
    loaded: false,
    error: null,
    async load() {
      try {
        set({ jobs: sortJobs(await client.listReplays()), loaded: true, error: null })
      } catch (error) {
        set({ error: errorMessage(error) })
      }
    },
    async start(body) {
      const job = (await client.createReplay({ ...body, dryRun: false })) as ReplayJob
      set({ jobs: sortJobs(upsertById(get().jobs, job)) })
      return job
    },
    async dryRun(body) {
      return (await client.createReplay({ ...body, dryRun: true })) as ReplayDryRun
    },
    async control(id, action) {
      const job = await client.controlReplay(id, action)
      set({ jobs: sortJobs(upsertById(get().jobs, job)) })
    }
  }))
}

export const useReplays = createReplayStore(api)

/** Keeps the list fresh while the Replay screen is open: fast while a job runs, slowly otherwise. */
export function watchReplays(): () => void {
  let stopped = false
  let timer: ReturnType<typeof setTimeout> | null = null
  const tick = async (): Promise<void> => {
    await useReplays.getState().load()
    if (stopped) return
    const running = useReplays.getState().jobs.some((j) => j.state === 'running')
    timer = setTimeout(() => void tick(), running ? REPLAY_POLL_MS : REPLAY_POLL_MS * 5)
  }
  void tick()
  return () => {
    stopped = true
    if (timer) clearTimeout(timer)
  }
}
