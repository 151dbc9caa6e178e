import { describe, expect, it, vi } from 'vitest'
import type { ToHostMessage } from './engine-protocol'
import { EngineSupervisor, type HostProcess, type SupervisorEvents } from './engine-supervisor'

class FakeHost implements HostProcess {
  sent: ToHostMessage[] = []
  killed = false
  private messageListeners: Array<(m: unknown) => void> = []
  private exitListeners: Array<(code: number) => void> = []
  onMessage(listener: (m: unknown) => void) {
    this.messageListeners.push(listener)
  }
  onExit(listener: (code: number) => void) {
    this.exitListeners.push(listener)
  }
  postMessage(message: ToHostMessage) {
    this.sent.push(message)
  }
  kill() {
    this.killed = true
  }
  emit(message: unknown) {
    for (const l of this.messageListeners) l(message)
  }
  exit(code: number) {
    for (const l of this.exitListeners) l(code)
  }
  ready(port = 7420) {
    this.emit({ type: 'ready', baseUrl: `http://127.0.0.1:${port}`, loginUrl: `http://127.0.0.1:${port}/login?token=t`, token: 't', portFallback: false })
  }
}

function setup(options: { maxRestarts?: number } = {}) {
  const hosts: FakeHost[] = []
  const timers: Array<{ fn: () => void; ms: number }> = []
  let clock = 0
  const events = { ready: vi.fn(), down: vi.fn(), fatal: vi.fn() } satisfies SupervisorEvents
  const supervisor = new EngineSupervisor({
    fork: () => {
      const host = new FakeHost()
      hosts.push(host)
      return host
    },
    startMessage: () => ({ type: 'start', dataDir: '/data', port: 7420, nativeBinding: '/n.node' }),
    events,
    now: () => clock,
    schedule: (fn, ms) => void timers.push({ fn, ms }),
    ...options
  })
  const runTimers = () => {
    for (const t of timers.splice(0)) t.fn()
  }
  return { supervisor, hosts, timers, events, runTimers, advance: (ms: number) => (clock += ms) }
}

describe('EngineSupervisor', () => {
  it('starts the host with the data dir, port and native binding, and reports its address', () => {
    const { supervisor, hosts, events } = setup()
    supervisor.start()
    expect(hosts[0]!.sent).toEqual([{ type: 'start', dataDir: '/data', port: 7420, nativeBinding: '/n.node' }])
    expect(supervisor.origin()).toBeNull()
    hosts[0]!.ready()
    expect(events.ready).toHaveBeenCalledWith(expect.objectContaining({ baseUrl: 'http://127.0.0.1:7420' }), false)
    expect(supervisor.origin()).toBe('http://127.0.0.1:7420')
  })

  it('ignores malformed messages', () => {
    const { supervisor, hosts, events } = setup()
    supervisor.start()
    hosts[0]!.emit({ type: 'ready', baseUrl: 42 })
    hosts[0]!.emit('nonsense')
    hosts[0]!.emit(null)
    expect(events.ready).not.toHaveBeenCalled()
  })

  it('restarts a crashed engine with a notice, and the origin follows the new port', () => {
    const { supervisor, hosts, events, timers, runTimers } = setup()
    supervisor.start()
    hosts[0]!.ready(7420)
    hosts[0]!.exit(139)
    expect(supervisor.origin()).toBeNull() // nothing trusted while down
    expect(events.down).toHaveBeenCalledWith({ code: 139, reason: null, restartInMs: 500 })
    expect(timers[0]!.ms).toBe(500)
    runTimers()
    hosts[1]!.ready(50123)
    expect(events.ready).toHaveBeenLastCalledWith(expect.objectContaining({ baseUrl: 'http://127.0.0.1:50123' }), true)
    expect(supervisor.origin()).toBe('http://127.0.0.1:50123')
  })

  it('backs off and gives up when the engine keeps dying', () => {
    const { supervisor, hosts, events, timers, runTimers } = setup({ maxRestarts: 3 })
    supervisor.start()
    const delays: number[] = []
    for (let i = 0; i < 3; i++) {
      hosts.at(-1)!.exit(1)
      delays.push(timers[0]!.ms)
      runTimers()
    }
    expect(delays).toEqual([500, 1000, 2000])
    hosts.at(-1)!.exit(1)
    expect(events.fatal).toHaveBeenCalledWith(expect.stringContaining('stopped 4 times'))
    expect(timers).toHaveLength(0)
  })

  it('forgets old crashes', () => {
    const { supervisor, hosts, events, runTimers, advance } = setup({ maxRestarts: 1 })
    supervisor.start()
    hosts.at(-1)!.exit(1)
    runTimers()
    advance(10 * 60_000)
    hosts.at(-1)!.exit(1)
    expect(events.fatal).not.toHaveBeenCalled()
    expect(events.down).toHaveBeenCalledTimes(2)
  })

  it('does not restart what a restart cannot fix (data dir used by another Loupe)', () => {
    const { supervisor, hosts, events, timers } = setup()
    supervisor.start()
    hosts[0]!.emit({ type: 'failed', reason: 'locked', message: 'Another Loupe (pid 42) is using the data dir /data.' })
    hosts[0]!.exit(1)
    expect(events.fatal).toHaveBeenCalledWith('Another Loupe (pid 42) is using the data dir /data.')
    expect(events.down).not.toHaveBeenCalled()
    expect(timers).toHaveLength(0)
  })

  it('restarts after an ordinary start failure, passing its reason on', () => {
    const { supervisor, hosts, events } = setup()
    supervisor.start()
    hosts[0]!.emit({ type: 'failed', reason: 'other', message: 'disk I/O error' })
    hosts[0]!.exit(1)
    expect(events.down).toHaveBeenCalledWith({ code: 1, reason: 'disk I/O error', restartInMs: 500 })
  })

  it('stops gracefully: asks, waits for the exit, does not restart', async () => {
    const { supervisor, hosts, events, timers } = setup()
    supervisor.start()
    hosts[0]!.ready()
    const stopped = supervisor.stop()
    expect(hosts[0]!.sent.at(-1)).toEqual({ type: 'stop' })
    hosts[0]!.exit(0)
    await stopped
    expect(events.down).not.toHaveBeenCalled()
    expect(hosts[0]!.killed).toBe(false)
    timers.splice(0).forEach((t) => t.fn()) // the kill timer finds nothing to kill
    expect(hosts[0]!.killed).toBe(false)
    supervisor.start()
    expect(hosts).toHaveLength(1)
  })

  it('kills an engine that does not stop in time', async () => {
    const { supervisor, hosts, timers } = setup()
    supervisor.start()
    const stopped = supervisor.stop(10_000)
    expect(timers[0]!.ms).toBe(10_000)
    timers.shift()!.fn()
    expect(hosts[0]!.killed).toBe(true)
    hosts[0]!.exit(143)
    await stopped
  })
})
