// A receiver for delivery tests: a real HTTP server on loopback standing in for a webhook or a vendor API
// (Action destinations redirected with LOUPE_ACTIONS_REDIRECT keep the vendor's Host and path). It answers
// as the test scripts it and records every request.

import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'

export interface Received {
  at: number
  method: string
  path: string
  host: string
  headers: IncomingHttpHeaders
  raw: string
  /** Parsed JSON, or the raw text (form-encoded, empty). */
  body: any
}

export class Receiver {
  received: Received[] = []
  /** Scripted answers, in order; `until`: the answer waits for this promise (a test opens the gate). */
  answers: { status: number; headers?: Record<string, string>; body?: string; delayMs?: number; until?: Promise<unknown> }[] = []
  private server: Server
  port = 0

  /** `defaultBody`: what a 200 carries when the test scripted nothing (vendors: `{"code":200}`). */
  constructor(private readonly defaultBody = '{"ok":true}') {
    this.server = createServer((req, res) => {
      let raw = ''
      req.setEncoding('utf8').on('data', (chunk: string) => (raw += chunk))
      req.on('end', () => {
        let body: unknown = raw
        try {
          body = JSON.parse(raw)
        } catch {
          // form-encoded or empty: kept as text
        }
        this.received.push({ at: Date.now(), method: req.method!, path: req.url!, host: req.headers.host!, headers: req.headers, raw, body })
        const answer = this.answers.shift() ?? { status: 200 }
        const reply = () => res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers }).end(answer.body ?? this.defaultBody)
        if (answer.until) void answer.until.then(reply)
        else if (answer.delayMs) setTimeout(reply, answer.delayMs)
        else reply()
      })
    })
  }

  listen(port = 0): Promise<void> {
    return new Promise((resolve) => this.server.listen(port, '127.0.0.1', () => ((this.port = (this.server.address() as { port: number }).port), resolve())))
  }

  close(): Promise<void> {
    this.server.closeAllConnections()
    return new Promise((resolve) => this.server.close(() => resolve()))
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`
  }

  /** Every event received, in order (batches unpacked). */
  events(): any[] {
    return this.received.flatMap((r) => (Array.isArray(r.body.batch) ? r.body.batch : [r.body]))
  }

  /** The requests that arrived for one (vendor) host. */
  to(host: string): Received[] {
    return this.received.filter((r) => r.host === host)
  }
}

/** A gate for scripted answers (`until`): they wait until the test opens it. */
export function gate(): { until: Promise<void>; open(): void } {
  let open!: () => void
  const until = new Promise<void>((resolve) => (open = resolve))
  return { until, open }
}
