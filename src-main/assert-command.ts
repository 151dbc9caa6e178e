// `loupe assert <expectations-file>`: checks an expectations file against a running Loupe in one call,
// for shell-based CI. Exit 0 = every expectation held, 1 = one did not (the report says which),
// 2 = the command could not check (bad usage, bad file, no engine reachable).

import { readFileSync } from 'node:fs'
import { extname, join } from 'node:path'
import { parseArgs } from 'node:util'
import { parse as parseYaml } from 'yaml'
import type { ExpectationsFile } from '../src-shared/qa'
import { createLoupe, LoupeApiError } from '../testing/client'
import { defaultDataDir } from './engine/config'
import { LOCK_FILE } from './engine/lock'
import { TOKEN_FILE } from './engine/token'
import { durationMs } from '../src-shared/duration'

export const ASSERT_HELP = `Usage: loupe assert <expectations.json|yaml> [options]

Checks every expected event of the file against a running Loupe and prints a report.
Exit code 0: all passed; 1: some failed; 2: usage, file or connection error.

Options (environment variables in brackets):
  --url <url>          the engine, e.g. http://127.0.0.1:4100            [LOUPE_URL]
                       (default: the URL in the data dir's ${LOCK_FILE})
  --token <token>      the admin token                                   [LOUPE_TOKEN]
                       (default: the data dir's ${TOKEN_FILE} file)
  --data-dir <dir>     the data dir of the running engine                [LOUPE_DATA_DIR]
  --run <id>           only events of this test run (overrides the file's "run")
  --timeout <time>     wait up to this long for late events, e.g. 30s, 2m, 500ms
                       (overrides the file's "timeout"; default: check now)
`

export class UsageError extends Error {}

export interface AssertOptions {
  file: string
  url?: string
  token?: string
  dataDir?: string
  run?: string
  timeoutMs?: number
}

export function parseAssertArgs(args: string[], env: NodeJS.ProcessEnv = process.env): AssertOptions {
  let parsed
  try {
    parsed = parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        url: { type: 'string' },
        token: { type: 'string' },
        'data-dir': { type: 'string' },
        run: { type: 'string' },
        timeout: { type: 'string' }
      }
    })
  } catch (error) {
    const { code, message } = error as { code?: string; message: string }
    const option = /'(-[^']*)'/.exec(message)?.[1]
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) throw new UsageError(`unknown option ${option}`)
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) throw new UsageError(`${option.split(' ')[0]} needs a value`)
    throw new UsageError(message)
  }
  const { values, positionals } = parsed
  if (positionals.length === 0) throw new UsageError('name the expectations file, e.g. "loupe assert expectations.yaml"')
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}" (one expectations file at a time)`)
  const url = values.url ?? nonEmpty(env.LOUPE_URL)
  if (url !== undefined && !/^https?:\/\/[^/]/.test(url)) throw new UsageError(`--url must be an http(s) URL, got "${url}"`)
  return {
    file: positionals[0]!,
    url,
    token: values.token ?? nonEmpty(env.LOUPE_TOKEN),
    dataDir: values['data-dir'] ?? nonEmpty(env.LOUPE_DATA_DIR),
    run: values.run,
    timeoutMs: values.timeout === undefined ? undefined : maxWait(parseDuration(values.timeout, '--timeout'))
  }
}

/** The engine holds a request at most this long. */
const MAX_WAIT_MS = 300_000

function maxWait(ms: number): number {
  if (ms > MAX_WAIT_MS) throw new UsageError(`--timeout is longer than the engine waits at most (${MAX_WAIT_MS / 1000}s)`)
  return ms
}

/** `30s`, `2m`, `500ms`, `1h`, or a number of milliseconds (the forms the engine reads in a file's "timeout"). */
export function parseDuration(raw: string | number, name: string): number {
  const ms = durationMs(raw)
  if (ms === null) throw new UsageError(`${name} must be a time like 30s, 2m or 500ms (or whole milliseconds), got ${JSON.stringify(raw)}`)
  return ms
}

/** Reads and shape-checks an expectations file; the engine checks the matchers themselves field by field. */
export function readExpectationsFile(path: string): ExpectationsFile {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new UsageError(code === 'ENOENT' ? `${path}: no such file` : `${path}: ${(error as Error).message}`)
  }
  let data: unknown
  try {
    data = extname(path).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text)
  } catch (error) {
    throw new UsageError(`${path}: not valid ${extname(path).toLowerCase() === '.json' ? 'JSON' : 'YAML'}: ${(error as Error).message.split('\n')[0]}`)
  }
  // a bare list is the common case of a file with no run or timeout
  if (Array.isArray(data)) data = { expect: data }
  if (typeof data !== 'object' || data === null) throw new UsageError(`${path}: expected an object with an "expect" list`)
  const file = data as Record<string, unknown>
  if (!Array.isArray(file.expect)) throw new UsageError(`${path}: "expect" must be a list of expected events`)
  if (file.expect.length === 0) throw new UsageError(`${path}: "expect" is empty: nothing to check`)
  file.expect.forEach((item, i) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw new UsageError(`${path}: expect[${i}] must be an object with a "match"`)
    const match = (item as Record<string, unknown>).match
    if (typeof match !== 'object' || match === null || Array.isArray(match)) throw new UsageError(`${path}: expect[${i}].match must be an object (the event matcher)`)
  })
  if (file.run !== undefined && typeof file.run !== 'string') throw new UsageError(`${path}: "run" must be a run id (a string)`)
  if (file.timeout !== undefined && typeof file.timeout !== 'string' && typeof file.timeout !== 'number') {
    throw new UsageError(`${path}: "timeout" must be a time like 30s or a number of milliseconds`)
  }
  return file as unknown as ExpectationsFile
}

/** Where the engine is: --url, else the lock file of the data dir that `loupe serve` keeps up to date. */
export function locateEngine(options: Pick<AssertOptions, 'url' | 'token' | 'dataDir'>): { url: string; token: string } {
  const dataDir = options.dataDir ?? defaultDataDir()
  let url = options.url
  if (url === undefined) {
    const lockPath = join(dataDir, LOCK_FILE)
    let lock: { url?: unknown }
    try {
      lock = JSON.parse(readFileSync(lockPath, 'utf8')) as { url?: unknown }
    } catch {
      throw new UsageError(`no running Loupe found: ${lockPath} does not exist. Start "loupe serve", or pass --url and --token.`)
    }
    if (typeof lock.url !== 'string') throw new UsageError(`the Loupe using ${dataDir} is still starting (no URL in ${lockPath}); try again.`)
    url = lock.url
  }
  let token = options.token
  if (token === undefined) {
    const tokenPath = join(dataDir, TOKEN_FILE)
    try {
      token = readFileSync(tokenPath, 'utf8').trim()
    } catch {
      throw new UsageError(`no admin token: ${tokenPath} is not readable. Pass --token, or --data-dir of the running engine.`)
    }
  }
  return { url: url.replace(/\/+$/, ''), token }
}

export async function assertCommand(args: string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    out.write(ASSERT_HELP)
    return 0
  }
  let request: ExpectationsFile
  let engine: { url: string; token: string }
  try {
    const options = parseAssertArgs(args)
    request = readExpectationsFile(options.file)
    if (options.run !== undefined) request.run = options.run
    // the file's own "timeout" goes as written: the engine reads the same forms and names the field
    if (options.timeoutMs !== undefined) request.timeout = options.timeoutMs
    engine = locateEngine(options)
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    err.write(`loupe assert: ${error.message}\nRun "loupe assert --help" for the options.\n`)
    return 2
  }
  try {
    const result = await createLoupe(engine).checkExpectations(request)
    out.write(result.report.endsWith('\n') ? result.report : `${result.report}\n`)
    return result.passed ? 0 : 1
  } catch (error) {
    if (error instanceof LoupeApiError && error.status === 401) {
      err.write(`loupe assert: ${engine.url} refused the admin token (401). Pass --token, or --data-dir of the running engine.\n`)
    } else if (error instanceof LoupeApiError) {
      err.write(`loupe assert: the engine refused the check: ${error.message}\n`)
    } else {
      err.write(`loupe assert: ${(error as Error).message}\n`)
    }
    return 2
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value
}
