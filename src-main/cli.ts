// The `loupe` command. `loupe serve` runs the engine headless (CI, QA machines, servers).

import { join } from 'node:path'
import { assertCommand } from './assert-command'
import { parseArgs } from 'node:util'
import { backupCommand, exportConfigCommand, restoreCommand, type Output } from './engine/backup/cli-commands'
import { ConfigError, DEFAULT_PORT, defaultDataDir, resolveConfig, type ConfigFlags } from './engine/config'
import { createEngine, type Engine } from './engine/index'
import { LOOPBACK_NAMES } from './engine/http/admin/security'
import { databaseBytes } from './engine/store/db-size'
import { isEphemeralDataDir, withEphemeralDataDir } from './ephemeral-data-dir'
import { TOKEN_FILE } from './engine/token'
import { VERSION } from './engine/version'

const HELP = `Loupe ${VERSION} — the Segment tracking API on localhost, every event in SQLite.

Usage:
  loupe serve [options]     run the engine (tracking API + admin API) until Ctrl+C
  loupe export-config [--data-dir D] [--out FILE] [--format json|yaml]
                            write the sources and destinations as a config file
                            (secrets as \${LOUPE_SECRET_…} references; stdout without --out)
  loupe backup <file> [--data-dir D]
                            copy the database (online if a Loupe runs on the data dir)
  loupe restore <file> [--data-dir D]
                            replace the database with a backup (Loupe must be stopped;
                            the current one is kept as loupe.db.before-restore-<time>)
  loupe assert <file> [opts] check an expectations file against a running Loupe
                            (exit 0 passed, 1 failed; "loupe assert --help")
  loupe export --out FILE[.gz] [filters]
                            write stored events as NDJSON ("loupe export --help")
  loupe import <file|folder> [--source-id N]
                            import NDJSON / gzipped NDJSON (e.g. an archive folder)
  loupe suppress | unsuppress --user-id ID | --anonymous-id ID
                            refuse (or accept again) a user's new events
  loupe delete-user --user-id ID | --anonymous-id ID --yes
                            delete a user's events and what derives from them
  loupe --version
  loupe help

Options of serve (environment variables in brackets):
  --port <n>                port to listen on, 0 = any free port       [LOUPE_PORT]      (${DEFAULT_PORT})
  --host <addr>             address to bind; anything but loopback
                            exposes Loupe to the network               [LOUPE_HOST]      (127.0.0.1)
  --data-dir <dir>          where the database and token live          [LOUPE_DATA_DIR]  (~/.local/share/loupe)
  --ephemeral               a fresh temporary data dir, deleted on exit
                            (CI); not with --data-dir
  --config <file>           apply a config file (.json, .yaml, .yml) of sources
                            and destinations at start; \${ENV} references
                            come from the environment                  [LOUPE_CONFIG]
  --strict-keys             unknown write keys get 401 instead of
                            an auto-created source                     [LOUPE_STRICT_KEYS]
  --segment-limits <mode>   warn: store over-limit events with a warning;
                            reject: answer 400 like Segment            [LOUPE_SEGMENT_LIMITS] (warn)
  --durability <mode>       normal: commits survive a crash of Loupe;
                            full: also power loss (slower)             [LOUPE_DURABILITY] (normal)
  --max-request-bytes <n>   hard limit per request, e.g. 4mb           [LOUPE_MAX_REQUEST_BYTES] (4mb)
  --max-message-bytes <n>   hard limit per message, e.g. 1mb           [LOUPE_MAX_MESSAGE_BYTES] (1mb)
  --max-events <n>          keep at most this many events, 0 = no limit [LOUPE_MAX_EVENTS] (1000000)
  --max-age-days <n>        delete events older than this, 0 = never   [LOUPE_MAX_AGE_DAYS] (30)
  --retry-window-hours <n>  how long a destination's failing batch is retried
                            before its events count as expired        [LOUPE_RETRY_WINDOW_HOURS] (4)
  --allowed-host <name>     extra Host name the admin API answers to
                            (repeatable; e.g. behind a proxy)          [LOUPE_ALLOWED_HOSTS, comma-separated]
`

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  if (command === '--version' || command === '-v') {
    process.stdout.write(`${VERSION}\n`)
    return 0
  }
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(HELP)
    return command === undefined ? 1 : 0
  }
  if (command === 'assert') return assertCommand(rest)
  if (command === 'export' || command === 'import') return (await import('./sessions-command')).sessionsCommand(command, rest)
  if (command === 'suppress' || command === 'unsuppress' || command === 'delete-user') return (await import('./privacy-command')).privacyCommand(command, rest)
  if (command === 'export-config' || command === 'backup' || command === 'restore') return dataDirCommand(command, rest)
  if (command !== 'serve') {
    process.stderr.write(`loupe: unknown command "${command}". Run "loupe help".\n`)
    return 2
  }
  return serve(rest)
}

const STDIO: Output = { out: (text) => process.stdout.write(text), err: (text) => process.stderr.write(text) }

/** export-config, backup and restore: they work on a data dir whether or not an engine runs on it. */
async function dataDirCommand(command: 'export-config' | 'backup' | 'restore', args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(HELP)
    return 0
  }
  let values: { 'data-dir'?: string; out?: string; format?: string }
  let positionals: string[]
  try {
    ;({ values, positionals } = parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: command === 'export-config' ? { 'data-dir': { type: 'string' }, out: { type: 'string' }, format: { type: 'string' } } : { 'data-dir': { type: 'string' } }
    }))
    const wanted = command === 'export-config' ? 0 : 1
    if (positionals.length > wanted) throw new Error(`unexpected argument "${positionals[wanted]}"`)
    if (positionals.length < wanted) throw new Error('which file? e.g. loupe ' + command + ' loupe-backup.db')
  } catch (error) {
    process.stderr.write(`loupe ${command}: ${flagError(error)}\nRun "loupe help" for the options.\n`)
    return 2
  }
  const dataDir = values['data-dir'] ?? (process.env.LOUPE_DATA_DIR || defaultDataDir())
  if (command === 'export-config') return exportConfigCommand(dataDir, { out: values.out, format: values.format }, STDIO)
  if (command === 'backup') return backupCommand(dataDir, positionals[0]!, STDIO)
  return restoreCommand(dataDir, positionals[0]!, STDIO)
}

async function serve(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(HELP)
    return 0
  }
  let flags: ConfigFlags
  try {
    flags = parseServeFlags(args)
  } catch (error) {
    process.stderr.write(`loupe serve: ${flagError(error)}\nRun "loupe help" for the options.\n`)
    return 2
  }
  return flags.ephemeral ? withEphemeralDataDir((dataDir) => runServe({ ...flags, dataDir })) : runServe(flags)
}

async function runServe(flags: ConfigFlags): Promise<number> {
  let engine: Engine
  try {
    engine = await createEngine(resolveConfig(flags), { log: (message) => process.stderr.write(`${message}\n`) })
  } catch (error) {
    process.stderr.write(`loupe serve: ${(error as Error).message}\n`)
    return error instanceof ConfigError ? 2 : 1
  }
  try {
    await engine.start()
  } catch (error) {
    await engine.stop()
    process.stderr.write(`loupe serve: ${(error as Error).message}\n`)
    return 1
  }
  // Handlers first: whoever reads "Press Ctrl+C" may signal at once, and a signal that arrives
  // before them would end the process without the graceful stop.
  const stopped = waitForSignal(engine)
  process.stdout.write(startupBlock(engine))
  return stopped
}

function parseServeFlags(args: string[]): ConfigFlags {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: {
      port: { type: 'string', short: 'p' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      'strict-keys': { type: 'boolean' },
      'segment-limits': { type: 'string' },
      durability: { type: 'string' },
      'max-request-bytes': { type: 'string' },
      'max-message-bytes': { type: 'string' },
      'max-events': { type: 'string' },
      'max-age-days': { type: 'string' },
      'retry-window-hours': { type: 'string' },
      'allowed-host': { type: 'string', multiple: true },
      config: { type: 'string' },
      ephemeral: { type: 'boolean' }
    }
  })
  if (positionals.length > 0) throw new Error(`unexpected argument "${positionals[0]}"`)
  if (values.ephemeral && values['data-dir'] !== undefined) throw new Error('--ephemeral makes its own temporary data dir; leave out --data-dir')
  return {
    port: values.port,
    host: values.host,
    dataDir: values['data-dir'],
    strictKeys: values['strict-keys'],
    segmentLimits: values['segment-limits'],
    durability: values.durability,
    maxRequestBytes: values['max-request-bytes'],
    maxMessageBytes: values['max-message-bytes'],
    maxEvents: values['max-events'],
    maxAgeDays: values['max-age-days'],
    retryWindowHours: values['retry-window-hours'],
    allowedHost: values['allowed-host'],
    config: values.config,
    ephemeral: values.ephemeral
  }
}

/** Node's parseArgs messages, said plainly. */
function flagError(error: unknown): string {
  const { code, message } = error as { code?: string; message: string }
  const option = /'(-[^']*)'/.exec(message)?.[1]
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) return `unknown option ${option}`
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) return `${option.split(' ')[0]} needs a value`
  return message
}

function startupBlock(engine: Engine): string {
  const a = engine.address()
  const events = engine.context.sources.list().reduce((sum, s) => sum + s.eventCount, 0)
  const exposed = !LOOPBACK_NAMES.includes(engine.config.host)
  const lines = [
    '',
    `  Loupe ${VERSION} is running`,
    '',
    `  Tracking API   ${a.trackingUrl}`,
    `                 analytics-node: host "${a.baseUrl}"   analytics.js: CDN "${a.baseUrl}"`,
    `  Admin / UI     ${a.loginUrl}`,
    `  Admin token    ${join(engine.config.dataDir, TOKEN_FILE)} (for "Authorization: Bearer …")`,
    `  Data dir       ${engine.config.dataDir}${isEphemeralDataDir(engine.config.dataDir) ? ' (ephemeral: deleted when Loupe stops)' : ''}`,
    `  Database       ${formatBytes(databaseBytes(engine.dbPath))}, ${events.toLocaleString('en-US')} events`
  ]
  if (engine.backupPath) lines.push(`  Backup         ${engine.backupPath} (taken before upgrading the schema)`)
  if (exposed) lines.push('', `  Warning: bound to ${engine.config.host}: the tracking API and the admin API (token-protected) are reachable from the network.`)
  lines.push('', '  Press Ctrl+C to stop.', '', '')
  return lines.join('\n')
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KB`
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`
}

/** Graceful shutdown: stop accepting, finish in-flight requests and commits, checkpoint, close. */
function waitForSignal(engine: Engine): Promise<number> {
  return new Promise((resolve) => {
    let stopping = false
    const onSignal = (signal: NodeJS.Signals): void => {
      if (stopping) {
        process.stderr.write(`loupe: ${signal} again, exiting now\n`)
        process.exit(130)
      }
      stopping = true
      process.stdout.write(`\n  ${signal}: stopping Loupe…\n`)
      engine.stop().then(
        () => {
          process.stdout.write('  Stopped. Every acknowledged event is in the database.\n')
          resolve(0)
        },
        (error: unknown) => {
          process.stderr.write(`loupe: shutdown failed: ${String(error)}\n`)
          resolve(1)
        }
      )
    }
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
  })
}
