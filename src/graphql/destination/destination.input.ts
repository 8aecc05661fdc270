import { Field, Float, InputType, Int } from 'type-graphql';
import type {
  AuthType as AuthTypeValue,
  BodyFormat as BodyFormatValue,
  DestinationStatus as DestinationStatusValue,
  Encoding as EncodingValue,
  HmacAlgorithm as HmacAlgorithmValue,
  HttpMethod as HttpMethodValue,
  RetryStrategy as RetryStrategyValue,
} from '../../domain/destination/destination.entity';
import { AuthType, BodyFormat, DestinationStatus, Encoding, HmacAlgorithm, HttpMethod, RetryStrategy } from './destination.enums';
import { RATE_LIMIT_DOCS } from './destination.type';

@InputType('HttpHeaderInput')
export class HttpHeaderInput {
  @Field() name!: string;
  @Field() value!: string;
}

@InputType('DestinationAuthInput')
export class DestinationAuthInput {
  @Field(() => AuthType) type!: AuthTypeValue;
  @Field(() => String, { nullable: true }) username?: string | null;
  @Field(() => String, { nullable: true }) password?: string | null;
  @Field(() => String, { nullable: true }) token?: string | null;
}

@InputType('CustomHmacInput', { description: "Extra HMAC signature over the raw body, e.g. GitHub's X-Hub-Signature-256: sha256=<hex>." })
export class CustomHmacInput {
  @Field(() => HmacAlgorithm, { nullable: true, description: 'Default SHA256.' }) algorithm?: HmacAlgorithmValue | null;
  @Field(() => Encoding, { nullable: true, description: 'Default HEX.' }) encoding?: EncodingValue | null;
  @Field(() => String, { nullable: true, description: 'Default X-Hookgraph-Signature.' }) header?: string | null;
  @Field(() => String, { nullable: true, description: 'Put before the signature, e.g. "sha256=".' }) prefix?: string | null;
  @Field(() => String, { nullable: true, description: 'Key (UTF-8); default the destination signing secret.' })
  secret?: string | null;
}

@InputType('DestinationSigningInput')
export class DestinationSigningInput {
  @Field(() => CustomHmacInput, { nullable: true, description: 'Null removes the custom signature.' })
  customHmac?: CustomHmacInput | null;
}

@InputType('RetryPolicyInput')
export class RetryPolicyInput {
  @Field(() => RetryStrategy, { nullable: true }) strategy?: RetryStrategyValue | null;
  @Field(() => [Int], { nullable: true, description: 'Delays in seconds before each retry (SCHEDULE).' })
  scheduleSeconds?: number[] | null;
  @Field(() => Int, { nullable: true }) initialIntervalMs?: number | null;
  @Field(() => Float, { nullable: true }) multiplier?: number | null;
  @Field(() => Int, { nullable: true }) maxIntervalMs?: number | null;
  @Field(() => Int, { nullable: true }) maxAttempts?: number | null;
  @Field(() => Boolean, { nullable: true }) retryOn4xx?: boolean | null;
}

@InputType('RateLimitInput')
export class RateLimitInput {
  @Field(() => Float, { nullable: true, description: RATE_LIMIT_DOCS.perSecond })
  perSecond?: number | null;
  @Field(() => Int, { nullable: true, description: RATE_LIMIT_DOCS.burst })
  burst?: number | null;
  @Field(() => Int, { nullable: true, description: RATE_LIMIT_DOCS.maxConcurrency })
  maxConcurrency?: number | null;
}

@InputType('DestinationCreateInput')
export class DestinationCreateInput {
  @Field(() => String, { nullable: true, description: "The uid of the tenant it is for; the default tenant (or a tenant key's own) when absent." }) tenant?:
    string | null;
  @Field() name!: string;
  @Field() url!: string;
  @Field(() => HttpMethod, { nullable: true, description: 'Default POST.' }) method?: HttpMethodValue | null;
  @Field(() => BodyFormat, { nullable: true, description: 'Default JSON.' }) format?: BodyFormatValue | null;
  @Field(() => Int, { nullable: true, description: 'Default 15000.' }) timeoutMs?: number | null;
  @Field(() => [HttpHeaderInput], { nullable: true }) headers?: HttpHeaderInput[] | null;
  @Field(() => DestinationAuthInput, { nullable: true }) auth?: DestinationAuthInput | null;
  @Field(() => DestinationSigningInput, { nullable: true }) signing?: DestinationSigningInput | null;
  @Field(() => RetryPolicyInput, { nullable: true }) retryPolicy?: RetryPolicyInput | null;
  @Field(() => RateLimitInput, { nullable: true }) rateLimit?: RateLimitInput | null;
}

@InputType('DestinationUpdateInput', { description: 'Only the fields given change.' })
export class DestinationUpdateInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true }) url?: string | null;
  @Field(() => HttpMethod, { nullable: true }) method?: HttpMethodValue | null;
  @Field(() => BodyFormat, { nullable: true }) format?: BodyFormatValue | null;
  @Field(() => Int, { nullable: true }) timeoutMs?: number | null;
  @Field(() => [HttpHeaderInput], { nullable: true }) headers?: HttpHeaderInput[] | null;
  @Field(() => DestinationAuthInput, { nullable: true }) auth?: DestinationAuthInput | null;
  @Field(() => DestinationSigningInput, { nullable: true }) signing?: DestinationSigningInput | null;
  @Field(() => RetryPolicyInput, { nullable: true }) retryPolicy?: RetryPolicyInput | null;
  @Field(() => RateLimitInput, { nullable: true }) rateLimit?: RateLimitInput | null;
  @Field(() => DestinationStatus, { nullable: true, description: 'ACTIVE re-enables; PAUSED holds deliveries.' })
  status?: DestinationStatusValue | null;
}
