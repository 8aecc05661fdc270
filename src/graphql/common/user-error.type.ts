import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { UserError, type UserErrorCode } from '../../domain/common/user-error';

const CODES: Record<UserErrorCode, UserErrorCode> = {
  INVALID: 'INVALID',
  INVALID_URL: 'INVALID_URL',
  NOT_FOUND: 'NOT_FOUND',
  DUPLICATE_NAME: 'DUPLICATE_NAME',
  INVALID_PATTERN: 'INVALID_PATTERN',
  INVALID_FILTER: 'INVALID_FILTER',
  RESERVED_HEADER: 'RESERVED_HEADER',
  OUT_OF_RANGE: 'OUT_OF_RANGE',
  INVALID_STATE: 'INVALID_STATE',
  TOO_LARGE: 'TOO_LARGE',
  RESERVED_EVENT_TYPE: 'RESERVED_EVENT_TYPE',
  IDEMPOTENCY_CONFLICT: 'IDEMPOTENCY_CONFLICT',
  TENANT_NOT_FOUND: 'TENANT_NOT_FOUND',
  FORBIDDEN: 'FORBIDDEN',
};
registerEnumType(CODES, { name: 'UserErrorCode', description: 'Why a mutation refused its input.' });

@ObjectType('UserError', { description: 'A business failure the caller can fix.' })
export class UserErrorType {
  @Field(() => [String], { nullable: true, description: 'Path to the input field at fault.' })
  field!: string[] | null;

  @Field() message!: string;

  @Field(() => CODES) code!: UserErrorCode;
}

export interface WithUserErrors {
  userErrors: UserErrorType[];
}

export function toUserErrorType(error: UserError): UserErrorType {
  return { field: error.field, message: error.message, code: error.code };
}

/**
 * Runs a mutation's work and shapes its payload: UserErrors become `userErrors`
 * entries (with the payload's other fields null); anything else propagates.
 */
export async function mutationPayload<P extends object>(work: () => Promise<P>): Promise<Partial<P> & WithUserErrors> {
  try {
    return { ...(await work()), userErrors: [] };
  } catch (error) {
    if (error instanceof UserError) {
      return { userErrors: [toUserErrorType(error)] } as Partial<P> & WithUserErrors;
    }
    throw error;
  }
}
