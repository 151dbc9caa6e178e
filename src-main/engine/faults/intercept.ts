// The tracking surface's one call into fault injection, made after the write key resolved to a source and
// before anything is stored. An injected failure answers (or drops the connection) here, so the event is
// never stored and the client's retry is what delivers it; a delay holds the request, then lets it through.

import type { FastifyReply, FastifyRequest } from 'fastify'
import { setTimeout as sleep } from 'node:timers/promises'
import type { FaultRule } from '../../../src-shared/faults'
import { faultsOf } from './injector'

const MAX_RECORDED_IDS = 100
const MAX_ID_LENGTH = 200

/** 'answered': the request got its injected failure; the caller must stop without storing anything. */
export async function injectFault(engineContext: object, sourceId: number, request: FastifyRequest, reply: FastifyReply, body: Record<string, unknown>): Promise<'answered' | 'continue'> {
  const path = request.url.split('?')[0]!
  const rule = faultsOf(engineContext).pick(sourceId, path, () => messageIdsOf(body))
  if (rule === null) return 'continue'
  if (rule.kind === 'delay') {
    await sleep(rule.delayMs ?? 0)
    return 'continue'
  }
  if (rule.kind === 'drop') {
    // No answer at all: the client sees a reset connection, as with a crashed server or a flaky network.
    reply.hijack()
    request.raw.socket.destroy()
    return 'answered'
  }
  answer(reply, rule)
  return 'answered'
}

function answer(reply: FastifyReply, rule: FaultRule): void {
  const status = Number(rule.kind)
  if (rule.kind === '429') reply.header('Retry-After', String(rule.retryAfterSeconds ?? 1))
  reply
    .code(status)
    .header('X-Loupe-Fault', String(rule.id))
    .send({ error: { code: 'ERR_FAULT_INJECTED', message: `Injected by Loupe fault rule ${rule.id} (${rule.kind}); nothing was stored, retry.` } })
}

/** The messageIds a request carries, when it carries them (event data is attacker-controlled: bounded). */
function messageIdsOf(body: Record<string, unknown>): string[] {
  const messages = Array.isArray(body.batch) ? body.batch : [body]
  const ids: string[] = []
  for (const message of messages) {
    if (ids.length >= MAX_RECORDED_IDS) break
    const id = typeof message === 'object' && message !== null ? (message as Record<string, unknown>).messageId : undefined
    if (typeof id === 'string' && id !== '') ids.push(id.slice(0, MAX_ID_LENGTH))
  }
  return ids
}
