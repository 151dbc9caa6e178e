// A config file that cannot be applied. Extends ConfigError so `loupe serve` exits with code 2 (usage
// error), and names the file and the field (`destinations[1].settings.url`) like the admin API's 400s.

import { ConfigError } from '../config'
import { ApiError } from '../errors'

export class ConfigFileError extends ConfigError {
  constructor(readonly file: string, readonly field: string | null, problem: string) {
    super(`${file}: ${field === null ? problem : problem.startsWith(field) ? problem : `${field}: ${problem}`}`)
  }
}

/**
 * Runs an admin-API validator on a part of the file and turns its ApiError (field relative to that part,
 * e.g. `settings.url`) into a ConfigFileError naming the field from the file's root.
 */
export function withFieldPrefix<T>(file: string, prefix: string, validate: () => T): T {
  try {
    return validate()
  } catch (error) {
    if (!(error instanceof ApiError)) throw error
    const field = error.field ? `${prefix}.${error.field}` : prefix
    // Validators often start their message with the field they name; say it once, from the root.
    const message = error.field && error.message.startsWith(error.field) ? `${field}${error.message.slice(error.field.length)}` : error.message
    throw new ConfigFileError(file, field, message)
  }
}
