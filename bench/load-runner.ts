// Runs one load-generator process (bench/load.ts) against a URL and returns its measurements.

import { startChild, stopChild } from './children'
import type { LoadConfig, LoadResult } from './load'

export async function runLoad(root: string, config: LoadConfig): Promise<LoadResult> {
  const child = startChild(process.execPath, ['--import', 'tsx', 'bench/load.ts', JSON.stringify(config)], root)
  const limitSeconds = (config.amount ? config.maxSeconds : (config.durationSeconds ?? 2)) + 30
  const timer = setTimeout(() => void stopChild(child), limitSeconds * 1000)
  const exit = await child.exited
  clearTimeout(timer)
  const { stdout, stderr } = child.output()
  const last = stdout.trim().split('\n').pop() ?? ''
  if (exit !== 0 || !last.startsWith('{')) {
    throw new Error(`the load generator failed (exit ${exit}): ${stderr.trim() || stdout.trim()}`)
  }
  return JSON.parse(last) as LoadResult
}
