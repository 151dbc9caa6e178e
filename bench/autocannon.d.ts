// The part of autocannon's programmatic API the load generator uses (autocannon ships no types).

declare module 'autocannon' {
  import type { EventEmitter } from 'node:events'

  export interface RequestParams {
    method?: string
    path?: string
    headers?: Record<string, string>
    body?: string | Buffer
  }

  export interface Request extends RequestParams {
    /** Called before every request a client sends; returns the request to send. */
    setupRequest?: (request: RequestParams, context: Record<string, unknown>) => RequestParams
  }

  export interface Options {
    url: string
    connections?: number
    pipelining?: number
    /** Seconds; ignored when `amount` is set. */
    duration?: number
    /** Total requests; the run ends when every one of them is answered. */
    amount?: number
    /** Seconds before a request counts as timed out. */
    timeout?: number
    /** Milliseconds between samples (also when a finished run reports). */
    sampleInt?: number
    method?: string
    headers?: Record<string, string>
    requests?: Request[]
  }

  export interface Result {
    duration: number
    errors: number
    timeouts: number
    non2xx: number
    '2xx': number
    statusCodeStats: Record<string, { count: number }>
    requests: { sent: number }
  }

  export interface Instance extends EventEmitter {
    stop(): void
  }

  export default function autocannon(options: Options, callback: (error: Error | null, result: Result) => void): Instance
}
