// "Copy as analytics.track(...)": the analytics.js call (identify/page/… matching the type) that
// produces this event again, with its own fields. Browser analytics.js takes positional arguments.

import type { JsonObject, JsonValue, SegmentType } from '../../src-shared/segment'
import { jsJson, jsString } from './code-literals'

function field(payload: JsonObject, key: string): JsonValue | undefined {
  const value = payload[key]
  return value === null ? undefined : value
}

function text(payload: JsonObject, key: string): string | undefined {
  const value = field(payload, key)
  return typeof value === 'string' ? value : value === undefined ? undefined : String(value)
}

function objectArg(value: JsonValue | undefined): string {
  return jsJson(value && typeof value === 'object' && !Array.isArray(value) ? value : {}, 2)
}

function call(method: string, args: string[]): string {
  return `analytics.${method}(${args.join(', ')})`
}

export function analyticsCall(type: SegmentType, payload: JsonObject): string {
  switch (type) {
    case 'track':
      return call('track', [jsString(text(payload, 'event') ?? ''), objectArg(field(payload, 'properties'))])
    case 'identify': {
      const userId = text(payload, 'userId')
      const traits = objectArg(field(payload, 'traits'))
      return call('identify', userId === undefined ? [traits] : [jsString(userId), traits])
    }
    case 'page':
    case 'screen': {
      const category = text(payload, 'category')
      const name = text(payload, 'name')
      const args = [...(category !== undefined ? [jsString(category), jsString(name ?? '')] : name !== undefined ? [jsString(name)] : [])]
      return call(type, [...args, objectArg(field(payload, 'properties'))])
    }
    case 'group':
      return call('group', [jsString(text(payload, 'groupId') ?? ''), objectArg(field(payload, 'traits'))])
    case 'alias': {
      const previousId = text(payload, 'previousId')
      return call('alias', [jsString(text(payload, 'userId') ?? ''), ...(previousId !== undefined ? [jsString(previousId)] : [])])
    }
  }
}
