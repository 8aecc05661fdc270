/**
 * A business failure the caller can fix: it becomes a `userErrors` entry in a mutation
 * payload (or a BAD_USER_INPUT error on a query). Never used for bugs or outages.
 */
export class UserError extends Error {
  constructor(
    readonly field: string[] | null,
    message: string,
    readonly code: UserErrorCode,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

export type UserErrorCode =
  | 'INVALID'
  | 'INVALID_URL'
  | 'NOT_FOUND'
  | 'DUPLICATE_NAME'
  | 'INVALID_PATTERN'
  | 'INVALID_FILTER'
  | 'RESERVED_HEADER'
  | 'OUT_OF_RANGE'
  | 'INVALID_STATE'
  | 'TOO_LARGE'
  | 'RESERVED_EVENT_TYPE'
  | 'IDEMPOTENCY_CONFLICT'
  | 'TENANT_NOT_FOUND'
  | 'FORBIDDEN';

export function notFound(field: string, what: string, id: string): UserError {
  return new UserError([field], `${what} ${id} does not exist`, 'NOT_FOUND');
}
