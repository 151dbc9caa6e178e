// In an exported config, every secret becomes a `${LOUPE_SECRET_<DESTINATION>_<FIELD>}` reference: the file
// can be committed and shared, and whoever loads it sets the variables. A value the admin API shows in
// clear (a webhook header such as Content-Type) stays in clear.

import type { DestinationKind, DestinationSettings } from '../../../src-shared/api'
import { maskSettings, MASK } from '../http/admin/destination-settings'
import { secretPathsOf } from '../secrets/destination-secrets'
import type { SecretPath } from '../secrets/settings-secrets'
import { isSealed } from '../secrets/secret-store'

export interface Placeholders {
  settings: DestinationSettings
  /** The variables this destination's settings now refer to. */
  variables: string[]
}

/** `taken` holds names already used in the same export; the new ones are added to it. */
export function withSecretPlaceholders(destinationName: string, kind: DestinationKind, settings: DestinationSettings, taken: Set<string>): Placeholders {
  const masked = maskSettings(kind, settings)
  const out = structuredClone(settings) as unknown as Record<string, unknown>
  const variables: string[] = []
  for (const { path, value } of leaves(settings, secretPathsOf(kind, settings))) {
    if (value === '') continue
    const shown = valueAt(masked, path)
    const secret = isSealed(value) || (typeof shown === 'string' && shown.startsWith(MASK))
    if (!secret) continue
    const variable = uniqueName(`LOUPE_SECRET_${envPart(destinationName)}_${fieldPart(path)}`, taken)
    variables.push(variable)
    setAt(out, path, `\${${variable}}`)
  }
  return { settings: out as unknown as DestinationSettings, variables }
}

/** Every string at the secret paths, `*` expanded to the keys present. */
function leaves(root: unknown, paths: readonly SecretPath[]): { path: string[]; value: string }[] {
  const found: { path: string[]; value: string }[] = []
  const walk = (node: unknown, rest: readonly string[], at: string[]): void => {
    if (rest.length === 0) {
      if (typeof node === 'string') found.push({ path: at, value: node })
      return
    }
    if (typeof node !== 'object' || node === null) return
    const [head, ...tail] = rest as [string, ...string[]]
    const keys = head === '*' ? Object.keys(node) : Object.prototype.hasOwnProperty.call(node, head) ? [head] : []
    for (const key of keys) walk((node as Record<string, unknown>)[key], tail, [...at, key])
  }
  for (const path of paths) walk(root, path, [])
  return found
}

function valueAt(root: unknown, path: string[]): unknown {
  return path.reduce<unknown>((node, key) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined), root)
}

function setAt(root: Record<string, unknown>, path: string[], value: string): void {
  let node = root
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>
  node[path[path.length - 1]!] = value
}

/** `My Hook` → `MY_HOOK`; `signingSecret` → `SIGNING_SECRET`. */
function envPart(text: string): string {
  const part = text
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
  return part || 'X'
}

/** The field's path without the Action destinations' `settings` wrapper: `settings.apiKey` → `API_KEY`. */
function fieldPart(path: string[]): string {
  return envPart((path[0] === 'settings' && path.length > 1 ? path.slice(1) : path).join('_'))
}

function uniqueName(base: string, taken: Set<string>): string {
  let name = base
  for (let n = 2; taken.has(name); n++) name = `${base}_${n}`
  taken.add(name)
  return name
}
