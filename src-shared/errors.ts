// Error codes shared by both HTTP surfaces, the CLI and the renderer.
// Every error body is `{ error: { code, message, field? } }` (DESIGN.md "Conventions").

export const ERROR_CODES = [
  // tracking surface: auth
  'ERR_AUTH_MISSING_WRITE_KEY',
  'ERR_AUTH_UNKNOWN_WRITE_KEY',
  // tracking surface: body and limits
  'ERR_BODY_EMPTY',
  'ERR_BODY_INVALID_JSON',
  'ERR_BODY_INVALID_UTF8',
  'ERR_BODY_NOT_OBJECT',
  'ERR_BODY_UNSUPPORTED_ENCODING',
  'ERR_BODY_BAD_COMPRESSION',
  'ERR_LIMIT_REQUEST_TOO_LARGE',
  'ERR_LIMIT_MESSAGE_TOO_LARGE',
  'ERR_LIMIT_TOO_DEEP',
  'ERR_SEGMENT_LIMIT_MESSAGE',
  'ERR_SEGMENT_LIMIT_BATCH_BYTES',
  'ERR_SEGMENT_LIMIT_BATCH_COUNT',
  // tracking surface: Segment spec
  'ERR_SPEC_BATCH_NOT_ARRAY',
  'ERR_SPEC_BATCH_EMPTY',
  'ERR_SPEC_INVALID_TYPE',
  'ERR_SPEC_MISSING_USER',
  'ERR_SPEC_MISSING_EVENT',
  'ERR_SPEC_MISSING_GROUP_ID',
  'ERR_SPEC_MISSING_PREVIOUS_ID',
  'ERR_SPEC_INVALID_FIELD',
  'ERR_SPEC_MESSAGE_ID_TOO_LONG',
  // privacy: a suppressed user's events are refused (403: clients drop rather than retry)
  'ERR_SUPPRESSED',
  'ERR_SPEC_FORBIDDEN_KEY',
  // store and capture
  'ERR_STORE_UNAVAILABLE',
  'ERR_STORE_REJECTED',
  'ERR_CAPTURE_PAUSED',
  // admin surface
  'ERR_ADMIN_UNAUTHORIZED',
  'ERR_ADMIN_FORBIDDEN_HOST',
  'ERR_ADMIN_FORBIDDEN_ORIGIN',
  'ERR_ADMIN_CORS_FORBIDDEN',
  'ERR_ADMIN_JSON_REQUIRED',
  'ERR_ADMIN_INVALID_QUERY',
  'ERR_ADMIN_INVALID_BODY',
  'ERR_ADMIN_NOT_FOUND',
  'ERR_ADMIN_CONFLICT',
  'ERR_ADMIN_WAREHOUSE_UNREACHABLE',
  'ERR_ADMIN_TOO_MANY_WAITERS',
  'ERR_FAULT_INJECTED',
  // generic
  'ERR_BAD_REQUEST',
  'ERR_NOT_FOUND',
  'ERR_INTERNAL'
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

export interface ApiErrorBody {
  error: {
    code: ErrorCode
    message: string
    /** The JSON field, query parameter or limit the error is about. */
    field?: string
  }
}

/** One message of a batch that was not stored; the others were. */
export interface RejectedMessage {
  index: number
  code: ErrorCode
  message: string
  field?: string
}

/** What the tracking API answers on success. */
export interface TrackingSuccess {
  success: true
  rejected?: RejectedMessage[]
}
