// `${NAME}` in any string value of a config file is replaced by the environment variable NAME, so secrets
// (and whatever differs between machines) stay out of the file. `$${` is a literal `${`.

import { ConfigFileError } from './errors'

const REFERENCE = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$\{/g

/** A copy of `value` with every reference replaced; a variable that is not set is an error naming it. */
export function substituteEnv(value: unknown, env: NodeJS.ProcessEnv, file: string, path = ''): unknown {
  if (typeof value === 'string') {
    return value.replace(REFERENCE, (match, name: string | undefined) => {
      if (match === '$${') return '${'
      if (name === undefined) throw new ConfigFileError(file, path || null, 'a "${" must start a reference such as ${MY_SECRET} (write "$${" for a literal "${")')
      const found = env[name]
      if (found === undefined) throw new ConfigFileError(file, path || null, `the environment variable ${name} is not set`)
      return found
    })
  }
  if (Array.isArray(value)) return value.map((item, i) => substituteEnv(item, env, file, `${path}[${i}]`))
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) {
      // The one key that would not stay a plain key (it sets the object's prototype).
      if (key === '__proto__') throw new ConfigFileError(file, path ? `${path}.${key}` : key, 'this key is not allowed')
      out[key] = substituteEnv(item, env, file, path ? `${path}.${key}` : key)
    }
    return out
  }
  return value
}

/** The inverse for exports: a literal `${` in a value must not read as a reference when loaded again. */
export function escapeReferences(value: string): string {
  return value.replace(/\$\{/g, () => '$${')
}
