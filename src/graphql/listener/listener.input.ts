import { Field, Float, InputType, Int } from 'type-graphql';
import type { Encoding as EncodingValue, HmacAlgorithm as HmacAlgorithmValue } from '../../domain/destination/destination.entity';
import type { VerificationType as VerificationTypeValue } from '../../domain/listener/listener.entity';
import { Encoding, HmacAlgorithm } from '../destination/destination.enums';
import { VerificationType } from './listener.enums';

@InputType('ListenerVerificationInput')
export class ListenerVerificationInput {
  @Field(() => VerificationType) type!: VerificationTypeValue;
  @Field(() => String, { nullable: true, description: 'BASIC' }) username?: string | null;
  @Field(() => String, { nullable: true, description: 'BASIC' }) password?: string | null;
  @Field(() => HmacAlgorithm, { nullable: true, description: 'HMAC; default SHA256' }) algorithm?: HmacAlgorithmValue | null;
  @Field(() => Encoding, { nullable: true, description: 'HMAC; default HEX' }) encoding?: EncodingValue | null;
  @Field(() => String, { nullable: true, description: 'HMAC signature header; default X-Signature' }) header?: string | null;
  @Field(() => String, { nullable: true, description: 'HMAC; e.g. "sha256="' }) prefix?: string | null;
  @Field(() => String, { nullable: true, description: 'HMAC key or TOKEN value; generated when omitted' }) secret?: string | null;
  @Field(() => String, { nullable: true, description: 'TOKEN: dotted path of the token in the JSON body' }) tokenPath?: string | null;
  @Field(() => String, { nullable: true, description: 'TOKEN: header carrying the token' }) tokenHeader?: string | null;
}

@InputType('ListenerRateLimitInput')
export class ListenerRateLimitInput {
  @Field(() => Int, { nullable: true, description: 'Default 1000.' }) capacity?: number;
  @Field(() => Float, { nullable: true, description: 'Default 300.' }) refillPerSecond?: number;
}

@InputType('ListenerResponseInput')
export class ListenerResponseInput {
  @Field(() => Int, { nullable: true, description: 'A 2xx code; default 204.' }) statusCode?: number;
  @Field(() => String, { nullable: true }) mediaType?: string | null;
  @Field(() => String, { nullable: true }) bodyTemplate?: string | null;
}

@InputType('ListenerCreateInput')
export class ListenerCreateInput {
  @Field(() => String, { nullable: true, description: "The uid of the tenant its events are for; the default tenant (or a tenant key's own) when absent." })
  tenant?: string | null;
  @Field() name!: string;
  @Field(() => String, { nullable: true, description: 'The type of the events it makes.' }) eventType?: string | null;
  @Field(() => String, { nullable: true, description: 'Or read the type from this dotted path of the body (eventType is then the fallback).' })
  eventTypePath?: string | null;
  @Field(() => ListenerVerificationInput, { nullable: true, description: 'Default NONE.' }) verification?: ListenerVerificationInput | null;
  @Field(() => ListenerRateLimitInput, { nullable: true }) rateLimit?: ListenerRateLimitInput | null;
  @Field(() => ListenerResponseInput, { nullable: true }) response?: ListenerResponseInput | null;
}

@InputType('ListenerUpdateInput', { description: 'Only the fields given change.' })
export class ListenerUpdateInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true }) eventType?: string | null;
  @Field(() => String, { nullable: true }) eventTypePath?: string | null;
  @Field(() => ListenerVerificationInput, { nullable: true }) verification?: ListenerVerificationInput | null;
  @Field(() => ListenerRateLimitInput, { nullable: true }) rateLimit?: ListenerRateLimitInput | null;
  @Field(() => ListenerResponseInput, { nullable: true }) response?: ListenerResponseInput | null;
}
