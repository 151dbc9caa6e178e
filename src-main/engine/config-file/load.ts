// Reads a config file (`loupe.config.json`, `.yaml` or `.yml`), substitutes `${ENV}` references and checks
// everything that can be checked without the database. Nothing is applied here.

import { readFileSync } from 'node:fs'
import { extname } from 'node:path'
import { parseDocument } from 'yaml'
import { substituteEnv } from './env'
import { ConfigFileError } from './errors'
import { validateConfig, type ConfigSpec } from './schema'

export type ConfigFormat = 'json' | 'yaml'

export function formatOf(file: string): ConfigFormat | null {
  const ext = extname(file).toLowerCase()
  return ext === '.json' ? 'json' : ext === '.yaml' || ext === '.yml' ? 'yaml' : null
}

export function loadConfigFile(file: string, env: NodeJS.ProcessEnv = process.env): ConfigSpec {
  const format = formatOf(file)
  if (format === null) throw new ConfigFileError(file, null, 'a config file must end in .json, .yaml or .yml')
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new ConfigFileError(file, null, code === 'ENOENT' ? 'no such file' : `cannot read it (${(error as Error).message})`)
  }
  return parseConfigText(file, text, format, env)
}

export function parseConfigText(file: string, text: string, format: ConfigFormat, env: NodeJS.ProcessEnv = process.env): ConfigSpec {
  return validateConfig(file, substituteEnv(parse(file, text, format), env, file))
}

function parse(file: string, text: string, format: ConfigFormat): unknown {
  if (format === 'json') {
    try {
      return JSON.parse(text)
    } catch (error) {
      throw new ConfigFileError(file, null, `not valid JSON: ${(error as Error).message}`)
    }
  }
  // One document; anchors/aliases are expanded with yaml's own cap on alias expansion.
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true })
  const problem = doc.errors[0]
  if (problem) throw new ConfigFileError(file, null, `not valid YAML: ${problem.message}`)
  return doc.toJS({ maxAliasCount: 100 })
}
