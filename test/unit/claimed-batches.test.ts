import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DeliveryEntity } from '../../src/domain/delivery/delivery.entity';
import type { DestinationEntity } from '../../src/domain/destination/destination.entity';
import type { EventEntity } from '../../src/domain/event/event.entity';
import type { WebhookEntity } from '../../src/domain/webhook/webhook.entity';
import { ClaimedBatches, type ClaimedBatchesDeps } from '../../src/dispatch/claimed-batches';
import type { ContextCache, DeliveryContext } from '../../src/dispatch/context-cache';
import type { RequestSlots } from '../../src/dispatch/request-slots';
import { createLogger } from '../../src/logger';
import { deferred, type Deferred } from '../support/deferred';

const destination = { id: 'dst_1', status: 'ACTIVE', rateLimit: null, deletedAt: null } as unknown as DestinationEntity;
const webhook = { id: 'whk_1', deletedAt: null } as unknown as WebhookEntity;

function claimed(id: string) {
  return { delivery: { id, eventId: `evt_${id}`, webhookId: webhook.id, destinationId: destination.id } as DeliveryEntity, roundBase: 0 };
}

function contextFor(ids: string[]): DeliveryContext {
  return {
    events: new Map(ids.map((id) => [`evt_${id}`, { id: `evt_${id}` } as EventEntity])),
    webhooks: new Map([[webhook.id, webhook]]),
    destinations: new Map([[destination.id, destination]]),
  };
}

/** Batches whose context loads when the test says, and the slots they reach, in order. */
function batchesWithControlledLoads() {
  const loads: Deferred<DeliveryContext>[] = [];
  const enqueued: string[] = [];
  const deps = {
    cache: { load: () => (loads.push(deferred<DeliveryContext>()), loads[loads.length - 1]!.promise) } as unknown as ContextCache,
    slots: {
      enqueue: (ready: { claimed: { delivery: DeliveryEntity } }) => enqueued.push(ready.claimed.delivery.id),
      fill: () => undefined,
    } as unknown as RequestSlots,
    leases: { park: async () => undefined, giveBack: async () => undefined, release: async () => undefined },
    log: createLogger('silent'),
  } as unknown as ClaimedBatchesDeps;
  return { batches: new ClaimedBatches(deps), loads, enqueued };
}

describe('claimed batches', () => {
  it('reach the slots in the order they were claimed, whichever loads first', async () => {
    const { batches, loads, enqueued } = batchesWithControlledLoads();
    batches.start([claimed('a'), claimed('b')], []);
    batches.start([claimed('c')], []);
    loads[1]!.resolve(contextFor(['c']));
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(enqueued, [], 'the later batch waits for the earlier one');
    loads[0]!.resolve(contextFor(['a', 'b']));
    await batches.idle();
    assert.deepEqual(enqueued, ['a', 'b', 'c']);
  });

  it('a batch whose load failed does not hold up the ones after it', async () => {
    const { batches, loads, enqueued } = batchesWithControlledLoads();
    batches.start([claimed('a')], []);
    batches.start([claimed('b')], []);
    loads[0]!.reject(new Error('database unreachable'));
    loads[1]!.resolve(contextFor(['b']));
    await batches.idle();
    assert.deepEqual(enqueued, ['b']);
  });
});
