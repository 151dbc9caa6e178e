// Reads of tracking plans, their kept versions and which sources they are connected to (writes are store
// commands: plans.create / plans.update / plans.delete).

import type { Database, Statement } from 'better-sqlite3'
import type { PlanRule, PlanVersion, PlanVersionSummary, TrackingPlan } from '../../../src-shared/plans'

interface PlanDb {
  id: number
  name: string
  description: string
  version: number
  created_at: number
  updated_at: number
}

interface VersionDb {
  plan_id: number
  version: number
  rules: string
  note: string | null
  created_at: number
}

export class PlanReads {
  private readonly one: Statement<unknown[], PlanDb>
  private readonly all: Statement<unknown[], PlanDb>
  private readonly versionRow: Statement<unknown[], VersionDb>
  private readonly versionRows: Statement<unknown[], VersionDb>
  private readonly sourcesOf: Statement<unknown[], number>
  private readonly planOfSource: Statement<unknown[], { plan_id: number; version: number }>

  constructor(db: Database) {
    this.one = db.prepare('SELECT * FROM tracking_plans WHERE id = ?')
    this.all = db.prepare('SELECT * FROM tracking_plans ORDER BY id')
    this.versionRow = db.prepare('SELECT * FROM tracking_plan_versions WHERE plan_id = ? AND version = ?')
    this.versionRows = db.prepare('SELECT * FROM tracking_plan_versions WHERE plan_id = ? ORDER BY version DESC')
    this.sourcesOf = db.prepare('SELECT source_id FROM source_plans WHERE plan_id = ? ORDER BY source_id').pluck() as Statement<unknown[], number>
    this.planOfSource = db.prepare('SELECT p.id AS plan_id, p.version FROM source_plans s JOIN tracking_plans p ON p.id = s.plan_id WHERE s.source_id = ?')
  }

  get(id: number): TrackingPlan | null {
    const row = this.one.get(id)
    return row ? this.toPlan(row) : null
  }

  list(): TrackingPlan[] {
    return this.all.all().map((row) => this.toPlan(row))
  }

  /** Newest first. */
  versions(planId: number): PlanVersionSummary[] {
    return this.versionRows.all(planId).map((v) => ({ version: v.version, createdAt: iso(v.created_at), note: v.note, rules: (JSON.parse(v.rules) as unknown[]).length }))
  }

  version(planId: number, version: number): PlanVersion | null {
    const v = this.versionRow.get(planId, version)
    return v ? { planId, version: v.version, createdAt: iso(v.created_at), note: v.note, rules: JSON.parse(v.rules) as PlanRule[] } : null
  }

  /** The plan connected to a source and its current version (what ingest validates against), or null. */
  forSource(sourceId: number): { planId: number; version: number } | null {
    const row = this.planOfSource.get(sourceId)
    return row ? { planId: row.plan_id, version: row.version } : null
  }

  private toPlan(row: PlanDb): TrackingPlan {
    return {
      id: row.id,
      name: row.name,
      description: row.description,
      version: row.version,
      rules: this.version(row.id, row.version)?.rules ?? [],
      sourceIds: this.sourcesOf.all(row.id),
      createdAt: iso(row.created_at),
      updatedAt: iso(row.updated_at)
    }
  }
}

const iso = (ms: number): string => new Date(ms).toISOString()
