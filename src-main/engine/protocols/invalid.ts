import { ApiError } from '../errors'

/** A refused plan body: 400 naming the field (`rules[3].jsonSchema`). */
export function invalid(field: string, message: string): never {
  throw new ApiError(400, 'ERR_ADMIN_INVALID_BODY', message, field)
}
