import { registerEnumType } from 'type-graphql';

export const DeliveryStatus = {
  PENDING: 'PENDING',
  IN_FLIGHT: 'IN_FLIGHT',
  RETRY_SCHEDULED: 'RETRY_SCHEDULED',
  SUCCEEDED: 'SUCCEEDED',
  FAILED: 'FAILED',
  CANCELLED: 'CANCELLED',
} as const;
export const DeliveryTrigger = { AUTOMATIC: 'AUTOMATIC', MANUAL_RETRY: 'MANUAL_RETRY', TEST: 'TEST', RESEND: 'RESEND', REPLAY: 'REPLAY' } as const;
export const AttemptOutcome = {
  SUCCESS: 'SUCCESS',
  HTTP_ERROR: 'HTTP_ERROR',
  TIMEOUT: 'TIMEOUT',
  CONNECTION_ERROR: 'CONNECTION_ERROR',
  BLOCKED_ADDRESS: 'BLOCKED_ADDRESS',
  INVALID_RESPONSE: 'INVALID_RESPONSE',
  INVALID_REQUEST: 'INVALID_REQUEST',
} as const;

registerEnumType(DeliveryStatus, { name: 'DeliveryStatus' });
registerEnumType(DeliveryTrigger, { name: 'DeliveryTrigger' });
registerEnumType(AttemptOutcome, { name: 'AttemptOutcome' });
