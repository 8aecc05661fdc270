import { Field, ID, Int, Float, ObjectType } from 'type-graphql';
import type {
  AuthType as AuthTypeValue,
  BodyFormat as BodyFormatValue,
  DestinationEntity,
  DestinationStatus as DestinationStatusValue,
  Encoding as EncodingValue,
  HmacAlgorithm as HmacAlgorithmValue,
  HttpMethod as HttpMethodValue,
  RetryStrategy as RetryStrategyValue,
  SealedHeader,
} from '../../domain/destination/destination.entity';
import { Node } from '../common/relay';
import { AuthType, BodyFormat, DestinationStatus, Encoding, HmacAlgorithm, HttpMethod, RetryStrategy } from './destination.enums';

@ObjectType('HttpHeader')
export class HttpHeaderType {
  @Field() name!: string;
  @Field() value!: string;
}

@ObjectType('DestinationHeader', { description: 'A custom header; its value is encrypted at rest and readable by ADMIN keys only.' })
export class DestinationHeaderType {
  @Field() name!: string;
  @Field(() => String, { nullable: true, description: 'The value as sent; null unless the key is ADMIN.' }) value!: string | null;
  @Field({ description: 'Last characters of the value (never more than a quarter of it).' }) valueHint!: string;
}

@ObjectType('DestinationAuth', { description: 'How requests authenticate; the password or token shows only as a hint.' })
export class DestinationAuthType {
  @Field(() => AuthType) type!: AuthTypeValue;
  @Field(() => String, { nullable: true }) username!: string | null;
  @Field(() => String, { nullable: true }) secretHint!: string | null;
}

@ObjectType('CustomHmac')
export class CustomHmacType {
  @Field(() => HmacAlgorithm) algorithm!: HmacAlgorithmValue;
  @Field(() => Encoding) encoding!: EncodingValue;
  @Field() header!: string;
  @Field() prefix!: string;
  @Field(() => String, { nullable: true, description: 'Null when the signing secret is used.' }) secretHint!: string | null;
}

@ObjectType('DestinationSigning')
export class DestinationSigningType {
  @Field({ description: 'Last characters of the Standard Webhooks signing secret.' }) secretHint!: string;
  @Field(() => Date, { nullable: true, description: 'Until when the previous secret also signs (rotation overlap).' })
  previousSecretExpiresAt!: Date | null;
  @Field(() => CustomHmacType, { nullable: true }) customHmac!: CustomHmacType | null;
}

@ObjectType('RetryPolicy')
export class RetryPolicyType {
  @Field(() => RetryStrategy) strategy!: RetryStrategyValue;
  @Field(() => [Int]) scheduleSeconds!: number[];
  @Field(() => Int) initialIntervalMs!: number;
  @Field(() => Float) multiplier!: number;
  @Field(() => Int) maxIntervalMs!: number;
  @Field(() => Int) maxAttempts!: number;
  @Field() retryOn4xx!: boolean;
}

/** What a destination's limits mean (sql/claim-line.ts keeps them), as read and as written. */
export const RATE_LIMIT_DOCS = {
  perSecond: 'Requests per second at most, kept across every worker of every process (a token bucket).',
  burst: "Requests that may go at once after a quiet spell (the bucket's size); default 1: evenly spaced. Needs perSecond.",
  maxConcurrency: 'Requests on the wire at once at most, across every worker of every process.',
};

@ObjectType('RateLimit')
export class RateLimitType {
  @Field(() => Float, { nullable: true, description: RATE_LIMIT_DOCS.perSecond })
  perSecond!: number | null;
  @Field(() => Int, { nullable: true, description: RATE_LIMIT_DOCS.burst })
  burst!: number | null;
  @Field(() => Int, { nullable: true, description: RATE_LIMIT_DOCS.maxConcurrency })
  maxConcurrency!: number | null;
}

@ObjectType('DestinationCircuit', {
  description:
    'The circuit breaker: attempts in a row that found the endpoint down (network error, timeout, 408, 429, 5xx). ' +
    'Past HOOKGRAPH_BREAKER_THRESHOLD it holds the deliveries until `openUntil`, then sends one request at a time to probe; a success resets it.',
})
export class DestinationCircuitType {
  @Field(() => Int) failureStreak!: number;
  @Field(() => Date, { nullable: true, description: 'When the first of those attempts was made.' }) failingSince!: Date | null;
  @Field(() => Date, { nullable: true, description: 'Deliveries are held until then (the breaker is open).' }) openUntil!: Date | null;
}

@ObjectType('Destination', { implements: Node })
export class DestinationType extends Node {
  @Field(() => ID) declare id: string;
  @Field(() => ID, { description: 'The tenant it belongs to (its uid and name: `tenant`).' }) tenantId!: string;
  @Field() name!: string;
  @Field() url!: string;
  @Field(() => HttpMethod) method!: HttpMethodValue;
  @Field(() => BodyFormat) format!: BodyFormatValue;
  @Field(() => Int) timeoutMs!: number;
  /** Resolved per key from sealedHeaders (DestinationResolver.headers): values for ADMIN, hints for the rest. */
  @Field(() => [DestinationHeaderType]) headers?: DestinationHeaderType[];
  sealedHeaders!: SealedHeader[];
  @Field(() => DestinationAuthType) auth!: DestinationAuthType;
  @Field(() => DestinationSigningType) signing!: DestinationSigningType;
  @Field(() => RetryPolicyType) retryPolicy!: RetryPolicyType;
  @Field(() => RateLimitType, { nullable: true }) rateLimit!: RateLimitType | null;
  @Field(() => DestinationStatus) status!: DestinationStatusValue;
  @Field(() => DestinationCircuitType) circuit!: DestinationCircuitType;
  @Field(() => String, { nullable: true }) statusReason!: string | null;
  @Field() statusChangedAt!: Date;
  @Field() createdAt!: Date;
  @Field() updatedAt!: Date;
}

/** The public face of a destination: secrets appear only as hints. */
export function toDestinationType(d: DestinationEntity): DestinationType {
  return {
    id: d.id,
    tenantId: d.tenantId,
    name: d.name,
    url: d.url,
    method: d.method,
    format: d.format,
    timeoutMs: d.timeoutMs,
    sealedHeaders: d.headers,
    auth: { type: d.authType, username: d.authUsername, secretHint: d.authSecretHint },
    signing: {
      secretHint: d.signingSecretHint,
      previousSecretExpiresAt: d.previousSecretExpiresAt && d.previousSecretExpiresAt.getTime() > Date.now() ? d.previousSecretExpiresAt : null,
      customHmac: d.customHmac && {
        algorithm: d.customHmac.algorithm,
        encoding: d.customHmac.encoding,
        header: d.customHmac.header,
        prefix: d.customHmac.prefix,
        secretHint: d.customHmac.secretHint,
      },
    },
    retryPolicy: d.retryPolicy,
    rateLimit: d.rateLimit,
    status: d.status,
    circuit: { failureStreak: d.failureStreak, failingSince: d.failingSince, openUntil: d.circuitOpenUntil },
    statusReason: d.statusReason,
    statusChangedAt: d.statusChangedAt,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
  };
}
