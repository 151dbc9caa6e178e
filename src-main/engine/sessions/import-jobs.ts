// Import jobs of the admin API: an upload is spooled to a temp file in the data dir (so the HTTP request
// ends as soon as the bytes are in), then imported in the background while GET /api/import/:id shows progress.

import { randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { rm } from 'node:fs/promises'
import type { ImportJob } from '../../../src-shared/sessions'
import { importLines, type ImportDeps } from './import-pipeline'
import { ndjsonLines } from './ndjson-lines'

/** Finished jobs kept for GET /api/import/:id. */
const KEEP_JOBS = 50

export class ImportJobs {
  private readonly jobs = new Map<string, ImportJob>()

  constructor(private readonly deps: ImportDeps) {}

  /** Starts importing `file` (deleted when done); the job is returned at once. */
  start(file: string, sourceId: number | null): ImportJob {
    const job: ImportJob = {
      id: randomBytes(8).toString('hex'),
      status: 'running',
      sourceId,
      startedAt: new Date().toISOString(),
      finishedAt: null,
      read: 0,
      stored: 0,
      duplicates: 0,
      rejected: 0,
      rejectedLines: [],
      error: null
    }
    this.jobs.set(job.id, job)
    this.trim()
    void importLines(this.deps, ndjsonLines(createReadStream(file)), sourceId, job)
      .then(() => {
        job.status = 'done'
      })
      .catch((error: unknown) => {
        job.status = 'failed'
        job.error = error instanceof Error ? error.message : String(error)
      })
      .finally(() => {
        job.finishedAt = new Date().toISOString()
        void rm(file, { force: true })
      })
    return job
  }

  get(id: string): ImportJob | null {
    return this.jobs.get(id) ?? null
  }

  list(): ImportJob[] {
    return [...this.jobs.values()].reverse()
  }

  private trim(): void {
    for (const [id, job] of this.jobs) {
      if (this.jobs.size <= KEEP_JOBS) return
      if (job.status !== 'running') this.jobs.delete(id)
    }
  }
}
