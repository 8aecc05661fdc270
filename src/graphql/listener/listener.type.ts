import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import type { Encoding as EncodingValue, HmacAlgorithm as HmacAlgorithmValue } from '../../domain/destination/destination.entity';
import type { ListenerRequestEntity } from '../../domain/listener/listener-request.entity';
import type { ListenerEntity, VerificationType as VerificationTypeValue } from '../../domain/listener/listener.entity';
import { Node } from '../common/relay';
import { JSON } from '../common/scalars';
import { Encoding, HmacAlgorithm } from '../destination/destination.enums';
import { HttpHeaderType } from '../destination/destination.type';
import { LARGE_FIELD_COST } from '../limits/query-cost';
import type { Provider } from '../../domain/listener/providers';
import { ListenerProvider, VerificationType } from './listener.enums';

@ObjectType('ListenerVerification', { description: 'The secret shows only as a hint.' })
export class ListenerVerificationType {
  @Field(() => VerificationType) type!: VerificationTypeValue;
  @Field(() => ListenerProvider, { nullable: true, description: 'PRESET: whose scheme.' }) provider?: Provider | null;
  @Field(() => String, { nullable: true }) username!: string | null;
  @Field(() => HmacAlgorithm, { nullable: true }) algorithm!: HmacAlgorithmValue | null;
  @Field(() => Encoding, { nullable: true }) encoding!: EncodingValue | null;
  @Field(() => String, { nullable: true }) header!: string | null;
  @Field(() => String, { nullable: true }) prefix!: string | null;
  @Field(() => String, { nullable: true }) tokenPath!: string | null;
  @Field(() => String, { nullable: true }) tokenHeader!: string | null;
  @Field(() => String, { nullable: true }) secretHint!: string | null;
}

@ObjectType('ListenerRateLimit', { description: 'Leaky bucket: `capacity` requests, draining at `refillPerSecond`.' })
export class ListenerRateLimitType {
  @Field(() => Int) capacity!: number;
  @Field(() => Float) refillPerSecond!: number;
}

@ObjectType('ListenerResponse')
export class ListenerResponseType {
  @Field(() => Int) statusCode!: number;
  @Field(() => String, { nullable: true }) mediaType!: string | null;
  @Field(() => String, { nullable: true, description: '{{data.x}}, {{event.id}}, {{event.type}}, {{listener.name}}; escaped for the media type.' })
  bodyTemplate!: string | null;
}

@ObjectType('ListenerDedupe', { description: 'Where a repeated request carries the same id: a header or a body path.' })
export class ListenerDedupeType {
  @Field(() => String, { nullable: true }) header!: string | null;
  @Field(() => String, { nullable: true }) path!: string | null;
}

@ObjectType('Listener', { implements: Node, description: 'An inbound webhook endpoint: POST or PUT to `url`.' })
export class ListenerType extends Node {
  @Field(() => ID) declare id: string;
  @Field(() => ID, { description: 'The tenant it belongs to (its uid and name: `tenant`).' }) tenantId!: string;
  @Field() name!: string;
  @Field({
    description:
      'The public endpoint. A secret URL (SECRET_URL) is shown in full only in the payload that made it; afterwards it ends in a hint (`/in/…abcd`).',
  })
  url!: string;
  @Field(() => String, { nullable: true }) eventType!: string | null;
  @Field(() => String, { nullable: true }) eventTypePath!: string | null;
  @Field(() => String, { nullable: true }) eventTypeHeader!: string | null;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => ListenerDedupeType, { nullable: true, description: 'Its own setting; a preset dedupes on the provider’s id when this is null.' })
  dedupe!: ListenerDedupeType | null;
  @Field(() => String, { nullable: true, description: 'One event per record of the array at this path.' }) resourcePath!: string | null;
  @Field(() => ListenerVerificationType) verification!: ListenerVerificationType;
  @Field(() => ListenerRateLimitType) rateLimit!: ListenerRateLimitType;
  @Field(() => ListenerResponseType) response!: ListenerResponseType;
  @Field(() => Date, { nullable: true, description: 'Requests are captured until then.' }) captureUntil!: Date | null;
  @Field(() => JSON, { nullable: true, complexity: LARGE_FIELD_COST, description: 'Typed by hand, or the last accepted payload while capturing.' })
  sampleData!: unknown;
  @Field() createdAt!: Date;
  @Field() updatedAt!: Date;
}

@ObjectType('ListenerRequest', { implements: Node, description: 'A request a listener received while capturing.' })
export class ListenerRequestType extends Node {
  @Field(() => ID) declare id: string;
  @Field(() => ID) listenerId!: string;
  @Field() method!: string;
  @Field(() => String, { nullable: true }) contentType!: string | null;
  @Field(() => [HttpHeaderType], { description: 'Credentials redacted.' }) headers!: HttpHeaderType[];
  @Field(() => String, { nullable: true, complexity: LARGE_FIELD_COST, description: 'Up to 256 KiB.' }) body!: string | null;
  @Field() verified!: boolean;
  @Field(() => String, { nullable: true }) error!: string | null;
  @Field(() => Int) responseStatusCode!: number;
  @Field(() => ID, { nullable: true, description: 'The event it became.' }) eventId!: string | null;
  @Field() createdAt!: Date;
}

/**
 * The public face of a listener; `publicUrl` is where this instance is reached. A secret
 * URL's token is shown only in the payload that made it (`madeToken`); afterwards `url`
 * ends in its hint.
 */
export function toListenerType(l: ListenerEntity, publicUrl: string, madeToken: string | null = null): ListenerType {
  const { secretSealed: _sealed, ...verification } = l.verification;
  return {
    id: l.id,
    tenantId: l.tenantId,
    name: l.name,
    url: `${publicUrl}/in/${madeToken ?? l.urlToken}`,
    eventType: l.eventType,
    eventTypePath: l.eventTypePath,
    eventTypeHeader: l.eventTypeHeader,
    description: l.description,
    dedupe: l.dedupe,
    resourcePath: l.resourcePath,
    verification: { ...verification, provider: verification.provider ?? null },
    rateLimit: l.rateLimit,
    response: l.response,
    captureUntil: l.captureUntil,
    sampleData: l.sampleData,
    createdAt: l.createdAt,
    updatedAt: l.updatedAt,
  };
}

export const toListenerRequestType = (r: ListenerRequestEntity): ListenerRequestType => r;
