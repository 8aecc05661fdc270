import { Field, Float, InputType, Int } from 'type-graphql';
import type { Provider } from '../../domain/listener/providers';
import { JSON } from '../common/scalars';
import { HttpHeaderInput } from '../destination/destination.input';
import type { Encoding as EncodingValue, HmacAlgorithm as HmacAlgorithmValue } from '../../domain/destination/destination.entity';
import type { VerificationType as VerificationTypeValue } from '../../domain/listener/listener.entity';
import { Encoding, HmacAlgorithm } from '../destination/destination.enums';
import { ListenerProvider, VerificationType } from './listener.enums';

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

@InputType('ListenerPresetInput')
export class ListenerPresetInput {
  @Field(() => ListenerProvider) provider!: Provider;
  @Field({ description: "The provider's signing secret (GitHub's webhook secret, Stripe's whsec_…, Slack's signing secret, Shopify's app secret)." })
  secret!: string;
}

@InputType('ListenerDedupeInput', { description: 'Exactly one: the header or the dotted body path of the id a repeated request carries again.' })
export class ListenerDedupeInput {
  @Field(() => String, { nullable: true }) header?: string | null;
  @Field(() => String, { nullable: true }) path?: string | null;
}

@InputType('ListenerMockRequestInput', { description: 'A request as a sender would make it.' })
export class ListenerMockRequestInput {
  @Field(() => [HttpHeaderInput], { nullable: true, description: 'Signature headers included.' }) headers?: HttpHeaderInput[] | null;
  @Field({ description: 'The raw body, exactly as signed.' }) body!: string;
  @Field(() => String, { nullable: true, description: 'Default application/json.' }) contentType?: string | null;
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
  @Field(() => ListenerPresetInput, { nullable: true, description: 'Verify and read a provider’s webhooks in its own scheme (instead of verification).' })
  preset?: ListenerPresetInput | null;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => String, { nullable: true, description: 'Read the event type from this header (the body path wins, eventType is the fallback).' })
  eventTypeHeader?: string | null;
  @Field(() => ListenerDedupeInput, { nullable: true, description: 'A repeat within 24 h is answered as the first was and makes no new event.' })
  dedupe?: ListenerDedupeInput | null;
  @Field(() => String, { nullable: true, description: 'Dotted path of an array in the body: one event per record.' }) resourcePath?: string | null;
  @Field(() => JSON, { nullable: true, description: 'Sample data typed by hand (replaced by the last accepted payload while capturing).' })
  sampleData?: unknown;
}

@InputType('ListenerUpdateInput', { description: 'Only the fields given change.' })
export class ListenerUpdateInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true }) eventType?: string | null;
  @Field(() => String, { nullable: true }) eventTypePath?: string | null;
  @Field(() => ListenerVerificationInput, { nullable: true }) verification?: ListenerVerificationInput | null;
  @Field(() => ListenerRateLimitInput, { nullable: true }) rateLimit?: ListenerRateLimitInput | null;
  @Field(() => ListenerResponseInput, { nullable: true }) response?: ListenerResponseInput | null;
  @Field(() => ListenerPresetInput, { nullable: true }) preset?: ListenerPresetInput | null;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => String, { nullable: true }) eventTypeHeader?: string | null;
  @Field(() => ListenerDedupeInput, { nullable: true, description: 'null: no deduplication of its own (a preset’s stays).' })
  dedupe?: ListenerDedupeInput | null;
  @Field(() => String, { nullable: true, description: 'Empty: the whole body is one event.' }) resourcePath?: string | null;
  @Field(() => JSON, { nullable: true }) sampleData?: unknown;
}
