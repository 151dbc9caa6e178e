// Segment's spec rules per call type (../shared/reference/segment-and-peers.md §1.3–1.4).
// Returns the fields Loupe indexes, or the first rule the message breaks.

import type { ErrorCode } from '../../../src-shared/errors'
import { SEGMENT_LIMITS, isSegmentType, type SegmentType } from '../../../src-shared/segment'

export interface SpecProblem {
  code: ErrorCode
  message: string
  field: string
}

export interface SpecFields {
  type: SegmentType
  name: string | null
  userId: string | null
  anonymousId: string | null
  /** Null when the client sent none (Loupe generates one). */
  messageId: string | null
}

const OBJECT_FIELDS = ['properties', 'traits', 'context', 'integrations'] as const

export function checkSpec(message: Record<string, unknown>, routeType: SegmentType | null): SpecFields | SpecProblem {
  const type = routeType ?? message.type
  if (!isSegmentType(type)) {
    return { code: 'ERR_SPEC_INVALID_TYPE', field: 'type', message: `type must be one of identify, track, page, screen, group, alias; got ${describe(message.type)}` }
  }

  for (const field of OBJECT_FIELDS) {
    const value = message[field]
    if (value !== undefined && value !== null && !isPlainObject(value)) {
      return { code: 'ERR_SPEC_INVALID_FIELD', field, message: `${field} must be an object; got ${describe(value)}` }
    }
  }

  const userId = identifier(message, 'userId')
  if (isProblem(userId)) return userId
  const anonymousId = identifier(message, 'anonymousId')
  if (isProblem(anonymousId)) return anonymousId

  if (type === 'alias') {
    const previousId = identifier(message, 'previousId')
    if (isProblem(previousId)) return previousId
    if (userId === null) return { code: 'ERR_SPEC_MISSING_USER', field: 'userId', message: 'alias needs a userId' }
    if (previousId === null) return { code: 'ERR_SPEC_MISSING_PREVIOUS_ID', field: 'previousId', message: 'alias needs a previousId' }
  } else if (userId === null && anonymousId === null) {
    return { code: 'ERR_SPEC_MISSING_USER', field: 'userId', message: `${type} needs a userId or an anonymousId` }
  }

  let name: string | null = null
  if (type === 'track') {
    if (typeof message.event !== 'string' || message.event.trim() === '') {
      return { code: 'ERR_SPEC_MISSING_EVENT', field: 'event', message: `track needs an event name (a non-empty string); got ${describe(message.event)}` }
    }
    name = message.event
  } else if (type === 'page' || type === 'screen') {
    if (message.name !== undefined && message.name !== null && typeof message.name !== 'string') {
      return { code: 'ERR_SPEC_INVALID_FIELD', field: 'name', message: `name must be a string; got ${describe(message.name)}` }
    }
    name = typeof message.name === 'string' && message.name !== '' ? message.name : null
  } else if (type === 'group') {
    const groupId = identifier(message, 'groupId')
    if (isProblem(groupId)) return groupId
    if (groupId === null) return { code: 'ERR_SPEC_MISSING_GROUP_ID', field: 'groupId', message: 'group needs a groupId' }
  }

  const messageId = message.messageId
  let id: string | null = null
  if (messageId !== undefined && messageId !== null && messageId !== '') {
    if (typeof messageId !== 'string') {
      return { code: 'ERR_SPEC_INVALID_FIELD', field: 'messageId', message: `messageId must be a string; got ${describe(messageId)}` }
    }
    if (messageId.length > SEGMENT_LIMITS.messageIdChars) {
      return { code: 'ERR_SPEC_MESSAGE_ID_TOO_LONG', field: 'messageId', message: `messageId is ${messageId.length} characters; the limit is ${SEGMENT_LIMITS.messageIdChars}` }
    }
    id = messageId
  }

  return { type, name, userId, anonymousId, messageId: id }
}

export function isSpecProblem(value: SpecFields | SpecProblem): value is SpecProblem {
  return 'code' in value
}

/** Ids may be strings or numbers (clients send both); empty or null means absent. */
function identifier(message: Record<string, unknown>, field: string): string | null | SpecProblem {
  const value = message[field]
  if (value === undefined || value === null || value === '') return null
  if (typeof value === 'string') return value
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  return { code: 'ERR_SPEC_INVALID_FIELD', field, message: `${field} must be a string or a number; got ${describe(value)}` }
}

function isProblem(value: string | null | SpecProblem): value is SpecProblem {
  return value !== null && typeof value === 'object'
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing'
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'string') return value === '' ? 'an empty string' : `"${value.length > 40 ? value.slice(0, 40) + '…' : value}"`
  return `a ${typeof value}`
}
