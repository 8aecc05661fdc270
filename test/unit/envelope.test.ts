import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyFieldMapping, buildEnvelope } from '../../src/dispatch/request/envelope';
import { event, webhook } from './signing-fixtures';

describe('envelope', () => {
  it('has the shape README.md shows receivers, with data and meta', () => {
    const env = buildEnvelope({ event: event({ entityUrl: 'https://shop.example/c/42' }), webhook: webhook(), deliveryId: 'dlv_1', attempt: 3 });
    assert.deepEqual(Object.keys(env), ['id', 'type', 'source', 'timestamp', 'webhookId', 'entityId', 'entityUrl', 'data', 'meta']);
    assert.equal(env.id, 'evt_01JTESTEVENT');
    assert.equal(env.type, 'customer.updated');
    assert.equal(env.source, 'API');
    assert.equal(env.timestamp, '2026-11-23T00:59:00.000Z');
    assert.equal(env.webhookId, 'whk_01JTEST');
    assert.equal(env.entityId, 'cus_42');
    assert.equal(env.entityUrl, 'https://shop.example/c/42');
    assert.deepEqual(env.data, { first_name: 'Ryan', email: 'ryan.salisbury@sakilacustomer.org', active: 1 });
    assert.deepEqual(env.meta, { deliveryId: 'dlv_1', attempt: 3, rowNumber: null, syncMode: null, syncOp: null });
  });

  it("says who produced the event, so a receiver can tell hookgraph's own events from published ones", () => {
    for (const source of ['API', 'LISTENER', 'SYSTEM'] as const) {
      assert.equal(buildEnvelope({ event: event({ source }), webhook: webhook(), deliveryId: 'd', attempt: 1 }).source, source);
    }
  });

  it('leaves data out when the webhook does not include the entity', () => {
    const env = buildEnvelope({ event: event(), webhook: webhook({ includeEntity: false }), deliveryId: 'dlv_1', attempt: 1 });
    assert.equal('data' in env, false);
  });

  it("carries a batch row's number and sync op (lower-case), else the webhook's sync mode", () => {
    const row = buildEnvelope({ event: event({ rowNumber: 347, syncMode: 'UPSERT' }), webhook: webhook({ syncMode: 'DELETE' }), deliveryId: 'd', attempt: 1 });
    assert.deepEqual(row.meta, { deliveryId: 'd', attempt: 1, rowNumber: 347, syncMode: 'UPSERT', syncOp: 'upsert' });
    const fromWebhook = buildEnvelope({ event: event(), webhook: webhook({ syncMode: 'MIRROR' }), deliveryId: 'd', attempt: 1 });
    assert.equal(fromWebhook.meta.syncOp, 'mirror');
  });

  it('builds data from the field mapping only (from → to, dotted paths), leaving the event untouched', () => {
    const data = { first_name: 'Jason', last_name: 'Haley', customer_id: 7, address: { city: 'Oslo' } };
    const mapped = applyFieldMapping(data, [
      { from: 'first_name', to: 'my_first_name' },
      { from: 'address.city', to: 'location.city' },
      { from: 'missing', to: 'nowhere' },
    ]);
    assert.deepEqual(mapped, { my_first_name: 'Jason', location: { city: 'Oslo' } });
    assert.equal(data.first_name, 'Jason');
    assert.deepEqual(applyFieldMapping(data, []), data);
  });

  it('does not let a mapping write to the prototype', () => {
    const mapped = applyFieldMapping({ a: 1 }, [{ from: 'a', to: '__proto__.polluted' }]) as Record<string, unknown>;
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.deepEqual(mapped, {});
  });
});
