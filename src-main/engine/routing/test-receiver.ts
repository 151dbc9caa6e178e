// A webhook receiver for routing tests: a real HTTP server on loopback that answers as the test scripts it.

import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'

export interface Received {
  at: number
  headers: IncomingHttpHeaders
  raw: string
  body: any
}

/** A webhook receiver whose answers the test scripts (status codes, headers), recording every request. */
export class Receiver {
  received: Received[] = []
  answers: { status: number; headers?: Record<string, string>; delayMs?: number }[] = []
  private server: Server
  port = 0

  constructor() {
    this.server = createServer((req, res) => {
      let raw = ''
      req.setEncoding('utf8').on('data', (chunk: string) => (raw += chunk))
      req.on('end', () => {
        this.received.push({ at: Date.now(), headers: req.headers, raw, body: JSON.parse(raw) })
        const answer = this.answers.shift() ?? { status: 200 }
        const reply = () => res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers }).end('{"ok":true}')
        if (answer.delayMs) setTimeout(reply, answer.delayMs)
        else reply()
      })
    })
  }

  listen(port = 0): Promise<void> {
    return new Promise((resolve) => this.server.listen(port, '127.0.0.1', () => ((this.port = (this.server.address() as { port: number }).port), resolve())))
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()))
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`
  }

  /** Every event received, in order (batches unpacked). */
  events(): any[] {
    return this.received.flatMap((r) => (Array.isArray(r.body.batch) ? r.body.batch : [r.body]))
  }
}
