// The request agent of a replay dry run: every vendor request an Action destination makes is answered in
// process, 200 `{}`, by a socket that never touches the network, so the destination's real code can run to
// show the exact requests it would make. What the requests held is read by instrument.ts (its request
// record), not here: this only has to speak enough HTTP/1.1 to let each request finish.

import { Agent as HttpAgent } from 'node:http'
import { Agent as HttpsAgent } from 'node:https'
import { Duplex } from 'node:stream'
import type { AgentOption } from './redirect'

const ANSWER = Buffer.from('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}')
const HEADER_END = Buffer.from('\r\n\r\n')
/** A request larger than this is answered anyway (its body is already recorded): the buffer stays bounded. */
const MAX_REQUEST_BYTES = 16 * 1024 * 1024

/** Reads one request and answers it; the http client sees an ordinary connected socket. */
class AnsweringSocket extends Duplex {
  private received = Buffer.alloc(0)
  private answered = false

  // What the http client calls on a net.Socket; nothing to do on an in-process one.
  setTimeout(): this {
    return this
  }
  setNoDelay(): this {
    return this
  }
  setKeepAlive(): this {
    return this
  }
  ref(): this {
    return this
  }
  unref(): this {
    return this
  }

  override _read(): void {}

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (!this.answered) {
      this.received = Buffer.concat([this.received, chunk])
      if (requestComplete(this.received) || this.received.length > MAX_REQUEST_BYTES) {
        this.answered = true
        this.received = Buffer.alloc(0)
        this.push(ANSWER)
        this.push(null)
      }
    }
    callback()
  }
}

/** Whether `data` holds a whole HTTP/1.1 request: headers, then a content-length or chunked body (or none). */
export function requestComplete(data: Buffer): boolean {
  const end = data.indexOf(HEADER_END)
  if (end < 0) return false
  const head = data.subarray(0, end).toString('latin1')
  const body = data.subarray(end + HEADER_END.length)
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(head)
  if (length) return body.length >= Number(length[1])
  if (!/\r\ntransfer-encoding:[^\r]*chunked/i.test(head)) return true
  for (let at = 0; ; ) {
    const line = body.indexOf('\r\n', at)
    if (line < 0) return false
    const size = Number.parseInt(body.subarray(at, line).toString('latin1'), 16)
    if (Number.isNaN(size)) return true
    // The last chunk, then optional trailers, then an empty line.
    if (size === 0) return body.indexOf('\r\n\r\n', line) >= 0
    at = line + 2 + size + 2
    if (at > body.length) return false
  }
}

/** node-fetch's `agent` option for a dry run: http and https requests alike get an in-process answer. */
export function capturingAgent(): AgentOption {
  const answer = (): Duplex => new AnsweringSocket()
  // https requests are spoken as plain HTTP: the socket handed over is never wrapped in TLS (as redirect.ts).
  const https = new (class extends HttpsAgent {
    override createConnection = answer as never
  })()
  const http = new (class extends HttpAgent {
    override createConnection = answer as never
  })()
  return Object.assign((url: URL): HttpAgent => (url.protocol === 'https:' ? https : http), { destroy() {} })
}
