import type { ApiErrorBody, ErrorCode, RejectedMessage } from '../../src-shared/errors'

/** An error that becomes an HTTP answer: status plus the JSON body of DESIGN.md "Conventions". */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    /** For a batch where nothing could be stored: why each message was rejected. */
    readonly rejected?: RejectedMessage[]
  ) {
    super(message)
  }

  toBody(): ApiErrorBody & { rejected?: RejectedMessage[] } {
    const error: ApiErrorBody['error'] = { code: this.code, message: this.message }
    if (this.field !== undefined) error.field = this.field
    return this.rejected ? { error, rejected: this.rejected } : { error }
  }
}
