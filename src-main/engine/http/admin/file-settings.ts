// Validation of the file destination's settings. The folder must be absolute: a relative one would depend on
// the directory Loupe happened to start in (different for the desktop app and `loupe serve`).

import { isAbsolute, normalize } from 'node:path'
import type { FileSettings } from '../../../../src-shared/api'
import { invalid } from './destination-settings'

const KNOWN = ['folder', 'gzip', 'rotateBytes', 'partition']
const MIN_ROTATE = 1024
const MAX_ROTATE = 10 * 1024 ** 3
const PARTITIONS = ['source-day', 'day'] as const

export function validateFileSettings(raw: unknown): FileSettings {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) invalid('settings', 'settings must be an object')
  const input = raw as Record<string, unknown>
  const unknown = Object.keys(input).find((k) => !KNOWN.includes(k))
  if (unknown !== undefined) invalid(`settings.${unknown}`, `unknown setting "${unknown}"`)

  const folder = input.folder
  if (typeof folder !== 'string' || folder.trim() === '' || folder.length > 4096 || folder.includes('\0') || !isAbsolute(folder)) {
    invalid('settings.folder', 'settings.folder must be an absolute folder path')
  }
  const settings: FileSettings = { folder: normalize(folder) }
  // Kernel file systems are not folders: writing there fails in odd ways (recursive mkdir under /proc never ends).
  if (/^\/(proc|sys|dev)(\/|$)/.test(settings.folder)) invalid('settings.folder', 'settings.folder must not be under /proc, /sys or /dev')

  if (input.gzip !== undefined) {
    if (typeof input.gzip !== 'boolean') invalid('settings.gzip', 'settings.gzip must be true or false')
    settings.gzip = input.gzip
  }
  if (input.rotateBytes !== undefined) {
    const bytes = input.rotateBytes
    if (typeof bytes !== 'number' || !Number.isInteger(bytes) || bytes < MIN_ROTATE || bytes > MAX_ROTATE) {
      invalid('settings.rotateBytes', 'settings.rotateBytes must be a whole number of bytes from 1024 (1 KB) to 10737418240 (10 GB)')
    }
    settings.rotateBytes = bytes
  }
  if (input.partition !== undefined) {
    if (!PARTITIONS.includes(input.partition as (typeof PARTITIONS)[number])) invalid('settings.partition', 'settings.partition must be "source-day" or "day"')
    settings.partition = input.partition as FileSettings['partition']
  }
  return settings
}
