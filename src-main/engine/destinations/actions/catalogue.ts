// The catalogue of Action destinations, read from the JSON that scripts/build-actions-catalogue.mjs writes.
// A build puts it next to the bundle (out/main/actions-catalogue.json). Without a build (tests, `tsx`), the
// script runs once in a child process and its output is cached in the OS temp dir, keyed by the package
// version and the content of the script and its imports, so a changed script or package regenerates it.

import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { CatalogueDestination, CatalogueEntry, CatalogueField } from '../../../../src-shared/api'
import { actionDestinationsVersion } from './segment-packages'

/** Must match CATALOGUE_FORMAT in scripts/build-actions-catalogue.mjs. */
const CATALOGUE_FORMAT = 2
export const CATALOGUE_FILE = 'actions-catalogue.json'
const SCRIPT = join('scripts', 'build-actions-catalogue.mjs')
/** Modules the script imports: their content keys the cache too. */
const SCRIPT_IMPORTS = ['actions-categories.mjs']

interface CatalogueFile {
  format: number
  packageVersion: string
  destinations: CatalogueDestination[]
}

export interface Catalogue {
  destinations: CatalogueDestination[]
  /** By directory slug, Segment slug and metadata id. */
  find(key: string): CatalogueDestination | null
}

let loaded: Catalogue | null = null

export function catalogue(): Catalogue {
  loaded ??= index(readCatalogue())
  return loaded
}

export function catalogueEntry(destination: CatalogueDestination): CatalogueEntry {
  const { id, slug, segmentSlug, name, description, categories, authScheme, actionCount, presetCount, unavailable, integrationNames } = destination
  return { id, slug, segmentSlug, name, description, categories, authScheme, actionCount, presetCount, unavailable, integrationNames }
}

/**
 * Every word of `q` in the name, slugs or description; name and slug hits first. `category` is a category's
 * name in any case, or Segment's slug for it (`sms-push-notifications` for "SMS & Push Notifications").
 */
export function searchCatalogue(q: string, category?: string): CatalogueEntry[] {
  const words = q.toLowerCase().split(/\s+/).filter(Boolean)
  const wanted = category ? categoryKey(category) : null
  const hits: { rank: number; destination: CatalogueDestination }[] = []
  for (const destination of catalogue().destinations) {
    if (wanted && !destination.categories.some((c) => categoryKey(c) === wanted)) continue
    const title = `${destination.name} ${destination.slug} ${destination.segmentSlug}`.toLowerCase()
    const text = `${title} ${destination.description.toLowerCase()}`
    if (!words.every((w) => text.includes(w))) continue
    const rank = words.length === 0 ? 1 : destination.slug === words.join('-') || destination.name.toLowerCase() === words.join(' ') ? 0 : words.every((w) => title.includes(w)) ? 1 : 2
    hits.push({ rank, destination })
  }
  return hits.sort((a, b) => a.rank - b.rank).map((h) => catalogueEntry(h.destination))
}

function categoryKey(category: string): string {
  return category.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')
}

function index(file: CatalogueFile): Catalogue {
  const byKey = new Map<string, CatalogueDestination>()
  for (const d of file.destinations) for (const key of [d.id, d.segmentSlug, d.slug]) byKey.set(key, d)
  return { destinations: file.destinations, find: (key) => byKey.get(key) ?? null }
}

function readCatalogue(): CatalogueFile {
  const version = actionDestinationsVersion()
  for (const candidate of [`./${CATALOGUE_FILE}`, `../${CATALOGUE_FILE}`]) {
    const file = readIfCurrent(fileURLToPath(new URL(candidate, import.meta.url)), version)
    if (file) return file
  }
  const script = findScript()
  const hasher = createHash('sha256').update(readFileSync(script))
  for (const name of SCRIPT_IMPORTS) hasher.update(readFileSync(join(dirname(script), name)))
  const hash = hasher.digest('hex').slice(0, 12)
  const cached = join(tmpdir(), `loupe-actions-catalogue-${version}-${hash}.json`)
  const file = readIfCurrent(cached, version)
  if (file) return file
  // The one place the whole package index is imported, and in another process: the engine never pays its
  // memory. ELECTRON_RUN_AS_NODE lets a dev Electron binary run the script as Node.
  execFileSync(process.execPath, [script, cached], { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, stdio: ['ignore', 'ignore', 'pipe'], timeout: 120_000 })
  const generated = readIfCurrent(cached, version)
  if (!generated) throw new Error(`the Action destinations catalogue generated at ${cached} is unreadable`)
  return generated
}

function readIfCurrent(path: string, version: string): CatalogueFile | null {
  if (!existsSync(path)) return null
  try {
    const file = JSON.parse(readFileSync(path, 'utf8')) as CatalogueFile
    return file.format === CATALOGUE_FORMAT && file.packageVersion === version ? file : null
  } catch {
    return null
  }
}

/** The generator script, found by walking up from this module (the sources, or out/main/chunks in a build). */
function findScript(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, SCRIPT)
    if (existsSync(candidate)) return candidate
    dir = dirname(dir)
  }
  throw new Error(`the Action destinations catalogue is missing and ${SCRIPT} was not found: run npm run build`)
}

/** Names of settings that hold credentials even where the destination types them as plain strings. */
const SECRET_NAME = /secret|token|password|passwd|api[_-]?key|apikey|access[_-]?key|private[_-]?key|auth|sid$|credential/i

/**
 * Whether a destination setting is a secret: its `password` type, or a string whose name says so (18 settings
 * of this catalogue hold keys or tokens under type `string`, e.g. Kevel `apiKey`, Kafka `accessKeyId`).
 */
export function isSecretSetting(field: CatalogueField): boolean {
  return field.type === 'password' || (field.type === 'string' && SECRET_NAME.test(field.key))
}
