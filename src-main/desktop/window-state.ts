// Remembers the main window's size and position in a small JSON file (in Electron's userData), so the
// window comes back where the user left it. The file is ours but may be stale or hand-edited: anything
// that does not parse into sane numbers, or would put the window off every screen, is ignored.

import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

export interface Rect {
  x: number
  y: number
  width: number
  height: number
}

export interface WindowState {
  bounds: Rect
  maximized: boolean
}

export const MIN_WIDTH = 720
export const MIN_HEIGHT = 480
export const DEFAULT_SIZE = { width: 1280, height: 820 }

export function loadWindowState(file: string): WindowState | null {
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    return null
  }
  if (typeof raw !== 'object' || raw === null) return null
  const { bounds, maximized } = raw as { bounds?: Partial<Record<keyof Rect, unknown>>; maximized?: unknown }
  if (!bounds || typeof bounds !== 'object') return null
  const values = [bounds.x, bounds.y, bounds.width, bounds.height]
  if (!values.every((v): v is number => typeof v === 'number' && Number.isFinite(v))) return null
  const [x, y, width, height] = values as [number, number, number, number]
  if (width < MIN_WIDTH || height < MIN_HEIGHT || width > 20_000 || height > 20_000) return null
  return { bounds: { x, y, width, height }, maximized: maximized === true }
}

/** Written to a temp file then renamed, so a crash mid-write never leaves half a JSON document. */
export function saveWindowState(file: string, state: WindowState): void {
  try {
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(`${file}.tmp`, JSON.stringify(state))
    renameSync(`${file}.tmp`, file)
  } catch {
    // a read-only profile only costs the remembered position
  }
}

/** True if enough of the window's title area is on one of the screens to grab it. */
export function isReachable(bounds: Rect, workAreas: readonly Rect[]): boolean {
  const grab = { x: bounds.x, y: bounds.y, width: bounds.width, height: 40 }
  return workAreas.some((area) => overlap(grab.x, grab.width, area.x, area.width) >= 100 && overlap(grab.y, grab.height, area.y, area.height) >= 20)
}

function overlap(start: number, length: number, otherStart: number, otherLength: number): number {
  return Math.max(0, Math.min(start + length, otherStart + otherLength) - Math.max(start, otherStart))
}
