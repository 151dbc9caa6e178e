// A real PostgreSQL server for tests and benchmarks: initdb into a temp dir, started on a free loopback port,
// stopped and removed at the end. Debian's `postgresql` package provides the binaries (.ci/run installs it);
// initdb refuses to run as root, so as root the server runs as the `postgres` user.

import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'

export interface TestPostgres {
  host: string
  port: number
  user: string
  database: string
  /** Runs one statement as the superuser. */
  query(sql: string, params?: unknown[]): Promise<pg.QueryResult>
  /** A connection pool to it (ended by destroy()), for code that takes a pool as the engine gives one. */
  pool(max: number): pg.Pool
  /** Stops the server (`immediate`: as a crash would), keeping its data for start(). */
  stop(mode?: 'fast' | 'immediate'): Promise<void>
  start(): Promise<void>
  /** Stops it and removes its data. */
  destroy(): Promise<void>
}

function binDir(): string {
  const root = '/usr/lib/postgresql'
  if (!existsSync(root)) throw new Error('PostgreSQL is not installed (apt-get install -y postgresql): the warehouse tests need a real server')
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a))
  if (versions.length === 0) throw new Error(`no initdb under ${root}`)
  return join(root, versions[0]!, 'bin')
}

const asRoot = typeof process.getuid === 'function' && process.getuid() === 0

/** A PostgreSQL binary's command line, run as `postgres` when we are root. */
function command(bin: string, args: string[]): [string, string[]] {
  return asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args]
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

export async function startTestPostgres(): Promise<TestPostgres> {
  const bin = binDir()
  const dir = mkdtempSync(join(tmpdir(), 'loupe-pg-'))
  const data = join(dir, 'data')
  const user = 'loupe'
  // The postgres user must own the folder it initialises and keeps its socket in.
  chmodSync(dir, 0o700)
  if (asRoot) execFileSync('chown', ['postgres', dir])
  const [initdb, initArgs] = command(join(bin, 'initdb'), ['-D', data, '-U', user, '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync'])
  execFileSync(initdb, initArgs, { stdio: 'pipe' })
  const port = await freePort()
  let child: ChildProcess | null = null

  const start = async (): Promise<void> => {
    // Durability settings off: tests measure Loupe, not the disk.
    const [postgres, args] = command(join(bin, 'postgres'), ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'])
    const started = spawn(postgres, args, { stdio: ['ignore', 'ignore', 'pipe'] })
    child = started
    // A test process that dies without destroy() must not leave a server behind.
    const onExit = (): void => {
      try {
        process.kill(Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]), 'SIGQUIT')
      } catch {
        // not running any more
      }
    }
    process.once('exit', onExit)
    started.once('exit', () => process.removeListener('exit', onExit))
    let stderr = ''
    started.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)))
    const deadline = Date.now() + 20_000
    for (;;) {
      if (started.exitCode !== null) throw new Error(`postgres exited at start: ${stderr}`)
      const client = new pg.Client({ host: '127.0.0.1', port, user, database: 'postgres' })
      try {
        await client.connect()
        await client.end()
        return
      } catch {
        await client.end().catch(() => undefined)
        if (Date.now() > deadline) throw new Error(`postgres did not accept connections within 20 s: ${stderr}`)
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    }
  }

  const stop = async (mode: 'fast' | 'immediate' = 'fast'): Promise<void> => {
    const running = child
    if (!running || running.exitCode !== null) return
    const exited = new Promise((resolve) => running.once('exit', resolve))
    // SIGINT = fast shutdown; SIGQUIT = immediate (no checkpoint, like a crash). Sent to the postmaster itself
    // (its pid is the first line of postmaster.pid): runuser does not pass every signal on.
    const postmaster = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0])
    process.kill(postmaster, mode === 'fast' ? 'SIGINT' : 'SIGQUIT')
    await exited
    child = null
  }

  const pools: pg.Pool[] = []
  await start()
  return {
    host: '127.0.0.1',
    port,
    user,
    database: 'postgres',
    async query(sql, params) {
      const client = new pg.Client({ host: '127.0.0.1', port, user, database: 'postgres' })
      await client.connect()
      try {
        return await client.query(sql, params)
      } finally {
        await client.end()
      }
    },
    pool(max) {
      const pool = new pg.Pool({ host: '127.0.0.1', port, user, database: 'postgres', max })
      // A test that ends the server under the pool must not crash the test process.
      pool.on('error', () => undefined)
      pools.push(pool)
      return pool
    },
    stop,
    start,
    async destroy() {
      await Promise.all(pools.map((p) => p.end().catch(() => undefined)))
      await stop('immediate')
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
