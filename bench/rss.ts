// Peak resident memory of a process: samples VmRSS from /proc/<pid>/status while a scenario runs and,
// at the end, also reads VmHWM (the kernel's own high-water mark) so a spike between samples is not missed.
// Falls back to `ps -o rss=` where /proc is absent.

import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

export interface RssSampler {
  /** Peak resident set size in bytes seen so far (samples and high-water mark). */
  stop(): number
}

export function sampleRss(pid: number, everyMs = 100): RssSampler {
  let peak = 0
  const take = (): void => {
    const kb = statusKb(pid, 'VmRSS') ?? psRssKb(pid)
    if (kb !== null) peak = Math.max(peak, kb * 1024)
  }
  take()
  const timer = setInterval(take, everyMs)
  return {
    stop() {
      clearInterval(timer)
      take()
      const hwm = statusKb(pid, 'VmHWM')
      return Math.max(peak, (hwm ?? 0) * 1024)
    }
  }
}

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number | null {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return match ? Number(match[1]) : null
  } catch {
    return null
  }
}

function psRssKb(pid: number): number | null {
  try {
    const kb = Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim())
    return Number.isFinite(kb) && kb > 0 ? kb : null
  } catch {
    return null
  }
}
