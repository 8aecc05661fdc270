import { registerEnumType } from 'type-graphql';

export const HttpMethod = { POST: 'POST', PUT: 'PUT', GET: 'GET' } as const;
export const BodyFormat = { JSON: 'JSON', FORM_URLENCODED: 'FORM_URLENCODED' } as const;
export const AuthType = { NONE: 'NONE', BASIC: 'BASIC', BEARER: 'BEARER' } as const;
export const DestinationStatus = { ACTIVE: 'ACTIVE', PAUSED: 'PAUSED', DISABLED: 'DISABLED' } as const;
export const HmacAlgorithm = { SHA1: 'SHA1', SHA256: 'SHA256', SHA384: 'SHA384', SHA512: 'SHA512' } as const;
export const Encoding = { HEX: 'HEX', BASE64: 'BASE64' } as const;
export const RetryStrategy = { SCHEDULE: 'SCHEDULE', EXPONENTIAL: 'EXPONENTIAL' } as const;

registerEnumType(HttpMethod, { name: 'HttpMethod' });
registerEnumType(BodyFormat, { name: 'BodyFormat', description: 'GET destinations carry no body.' });
registerEnumType(AuthType, { name: 'AuthType' });
registerEnumType(DestinationStatus, { name: 'DestinationStatus' });
registerEnumType(HmacAlgorithm, { name: 'HmacAlgorithm' });
registerEnumType(Encoding, { name: 'Encoding' });
registerEnumType(RetryStrategy, { name: 'RetryStrategy' });
