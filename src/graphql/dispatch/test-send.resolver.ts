import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { TestSendResult } from '../../dispatch/test-send';
import { mutationPayload } from '../common/user-error.type';
import { JSON } from '../common/scalars';
import type { Context } from '../context';
import { toDeliveryType } from '../delivery/delivery.type';
import { DestinationTestPayload, WebhookTestPayload } from './test-send.payload';

function toPayload(result: TestSendResult) {
  return { delivery: toDeliveryType(result.delivery), attempt: result.attempt, signatureBaseString: result.request.signatureBaseString };
}

@Resolver()
export class TestSendResolver {
  @Authorized('ADMIN')
  @Mutation(() => DestinationTestPayload, { description: 'Sends a sample (or the given) event to the destination now and returns the full trace.' })
  destinationTest(
    @Arg('id', () => ID) id: string,
    @Arg('eventType', () => String, { nullable: true }) eventType: string | null,
    @Arg('data', () => JSON, { nullable: true }) data: unknown,
    @Ctx() { services, principal }: Context,
  ) {
    return mutationPayload(async () => toPayload(await services.testSends.destinationTest(id, eventType, data, principal)));
  }

  @Authorized('ADMIN')
  @Mutation(() => WebhookTestPayload, { description: "Sends a sample (or the given) event through the webhook's options now and returns the full trace." })
  webhookTest(@Arg('id', () => ID) id: string, @Arg('data', () => JSON, { nullable: true }) data: unknown, @Ctx() { services, principal }: Context) {
    return mutationPayload(async () => toPayload(await services.testSends.webhookTest(id, data, principal)));
  }
}
