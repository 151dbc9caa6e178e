// Development and tests only (LOUPE_ACTIONS_REDIRECT): vendor requests go to one loopback port instead of
// the vendor, as plain HTTP with the original Host header and path, so a local receiver sees exactly what
// Amplitude or Mixpanel would. Per destination through the request agent — no process-wide patching.

import { Agent as HttpAgent } from 'node:http'
import { Agent as HttpsAgent } from 'node:https'
import { connect, type Socket } from 'node:net'

/** node-fetch's `agent` option: a function of the URL. actions-core calls `agent.destroy()` after each response. */
export interface AgentOption {
  (url: URL): HttpAgent
  destroy(): void
}

export interface LoopbackRedirect {
  agent: AgentOption
  close(): void
}

export function loopbackRedirect(origin: string): LoopbackRedirect {
  const target = new URL(origin)
  const host = target.hostname.replace(/^\[|\]$/g, '')
  const port = Number(target.port || 80)
  const toLoopback = (): Socket => connect(port, host)
  // One keep-alive agent per scheme, shared by this destination's requests: https requests are spoken as
  // plain HTTP because the socket handed over is a bare TCP connection, never wrapped in TLS.
  const https = new (class extends HttpsAgent {
    override createConnection = toLoopback as never
  })({ keepAlive: true })
  const http = new (class extends HttpAgent {
    override createConnection = toLoopback as never
  })({ keepAlive: true })
  // The shared agents outlive one response; actions-core's per-response destroy() must not close the
  // sockets of requests still in flight.
  const agent: AgentOption = Object.assign((url: URL): HttpAgent => (url.protocol === 'https:' ? https : http), { destroy() {} })
  return {
    agent,
    close() {
      https.destroy()
      http.destroy()
    }
  }
}
