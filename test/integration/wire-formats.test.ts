import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { publish, publishBatch } from '../support/publish';
import { useReceiver, type ReceivedRequest } from '../support/receiver';
import { swHeaders } from '../support/standard-webhooks';
import { forEachDatabase } from '../support/suite';
import { wireRoute } from './wire-support';

/**
 * Receivers written to the valmi.io and Etlworks wire formats as README.md describes them
 * (their field names, parameters and signature), fed hookgraph's real requests: each must
 * accept them as they are.
 */

const VALMI_SYNC_OPS = new Set(['upsert', 'mirror', 'append', 'create', 'delete']);

/** valmi.io's receiver: POST is the JSON row; GET carries the same row flattened into the query. */
function valmiRow(got: ReceivedRequest): Record<string, string | number> {
  if (got.method === 'POST') {
    const row = JSON.parse(got.body) as Record<string, unknown>;
    const meta = row._valmi_meta as { _valmi_row_num: unknown; _valmi_sync_op: unknown };
    assert.equal(typeof meta._valmi_row_num, 'number', 'row number');
    assert.ok(VALMI_SYNC_OPS.has(String(meta._valmi_sync_op)), 'sync op');
    const { _valmi_meta, ...fields } = row;
    return { ...(fields as Record<string, string | number>), row: meta._valmi_row_num as number, op: String(meta._valmi_sync_op) };
  }
  const query = new URL(got.url, 'http://receiver').searchParams;
  const row = Number(query.get('_valmi_meta__valmi_row_num'));
  assert.ok(Number.isInteger(row) && row >= 1, 'row number parameter');
  const op = String(query.get('_valmi_meta__valmi_sync_op'));
  assert.ok(VALMI_SYNC_OPS.has(op), 'sync op parameter');
  const fields = Object.fromEntries([...query].filter(([k]) => !k.startsWith('_valmi_meta__')));
  return { ...fields, row, op };
}

/** Etlworks' receiver: checks X-Etl-Webhook-Signature (hex HMAC-SHA1 of the body) and reads the payload. */
function etlworksEvent(got: ReceivedRequest, secret: string): Record<string, unknown> {
  const signed = got.method === 'GET' ? new URL(got.url, 'http://receiver').search.slice(1) : got.body;
  const expected = createHmac('sha1', secret).update(signed).digest('hex');
  assert.equal(got.headers['x-etl-webhook-signature'], expected, 'X-Etl-Webhook-Signature');
  const header = (name: string) => got.headers[name] as string | undefined;
  const fromHeaders = {
    eventId: header('x-etl-webhook-event-id'),
    eventType: header('x-etl-webhook-event'),
    webhookId: header('x-etl-webhook-id'),
    entityId: header('x-etl-webhook-entity-id'),
    entityUrl: header('x-etl-webhook-entity-url'),
  };
  if (got.method === 'GET') return fromHeaders;
  const payload =
    got.headers['content-type'] === 'application/x-www-form-urlencoded'
      ? Object.fromEntries(new URLSearchParams(got.body))
      : (JSON.parse(got.body) as Record<string, unknown>);
  assert.equal(payload.eventId, fromHeaders.eventId);
  assert.equal(payload.eventType, fromHeaders.eventType);
  return payload;
}

function verifyStandard(secret: string, got: ReceivedRequest): void {
  const payload = got.method === 'GET' ? new URL(got.url, 'http://receiver').search.slice(1) : got.body;
  new Webhook(secret).verify(payload, swHeaders(got.headers as IncomingHttpHeaders), { jsonParse: false });
}

const VALMI_MAPPING = [
  { from: 'first_name', to: 'my_first_name' },
  { from: 'last_name', to: 'my_last_name' },
  { from: 'email', to: 'email' },
  { from: 'active', to: 'active' },
];
const CUSTOMER = { customer_id: 'c347', first_name: 'Ryan', last_name: 'Salisbury', email: 'ryan.salisbury@sakilacustomer.org', active: 1 };

forEachDatabase('wire: the VALMI and ETLWORKS payload formats', (ctx) => {
  const receiver = useReceiver();

  it('VALMI POST: mapped fields at the top level with _valmi_meta, _message_id and _sync_mode', async () => {
    const app = ctx();
    receiver.reset();
    const r = await wireRoute(app, `${receiver.url}/valmi`, {}, { payloadFormat: 'VALMI', fieldMapping: VALMI_MAPPING });
    const ids = await publishBatch(app, {
      type: r.type,
      syncMode: 'UPSERT',
      entityIdField: 'customer_id',
      rows: [{ ...CUSTOMER, customer_id: 'c1' }, CUSTOMER],
    });
    const got = await receiver.waitFor(2);
    const second = got.find((g) => JSON.parse(g.body)._valmi_meta._valmi_row_num === 2)!;
    assert.ok(second, 'row 2 arrived');
    verifyStandard(r.signingSecret, second);
    assert.deepEqual(JSON.parse(second.body), {
      _valmi_meta: { _valmi_row_num: 2, _valmi_sync_op: 'upsert' },
      my_first_name: 'Ryan',
      my_last_name: 'Salisbury',
      email: 'ryan.salisbury@sakilacustomer.org',
      active: 1,
      _message_id: ids[1],
      _sync_mode: 'upsert',
    });
    assert.deepEqual(valmiRow(second), {
      my_first_name: 'Ryan',
      my_last_name: 'Salisbury',
      email: CUSTOMER.email,
      active: 1,
      _message_id: ids[1]!,
      _sync_mode: 'upsert',
      row: 2,
      op: 'upsert',
    });
  });

  it('VALMI GET: the row flattened as the document shows it, the query string signed', async () => {
    const app = ctx();
    receiver.reset();
    const r = await wireRoute(app, `${receiver.url}/`, { method: 'GET' }, { payloadFormat: 'VALMI', fieldMapping: VALMI_MAPPING });
    const [eventId] = await publishBatch(app, { type: r.type, syncMode: 'UPSERT', entityIdField: 'customer_id', rows: [CUSTOMER] });
    const [got] = await receiver.waitFor(1);
    assert.equal(got!.method, 'GET');
    assert.equal(
      got!.url,
      `/?_valmi_meta__valmi_row_num=1&_valmi_meta__valmi_sync_op=upsert&my_first_name=Ryan&my_last_name=Salisbury&email=ryan.salisbury%40sakilacustomer.org&active=1&_message_id=${eventId}&_sync_mode=upsert`,
    );
    verifyStandard(r.signingSecret, got!);
    assert.equal(valmiRow(got!).email, CUSTOMER.email);
  });

  it('VALMI: a single publish is row 1, an append; a field named like valmi’s keys does not replace them', async () => {
    const app = ctx();
    receiver.reset();
    const r = await wireRoute(app, receiver.url, {}, { payloadFormat: 'VALMI' });
    const { eventId } = await publish(app, { type: r.type, data: { name: 'x', _message_id: 'forged' } });
    const [got] = await receiver.waitFor(1);
    assert.deepEqual(JSON.parse(got!.body), {
      _valmi_meta: { _valmi_row_num: 1, _valmi_sync_op: 'append' },
      name: 'x',
      _message_id: eventId,
      _sync_mode: 'append',
    });
    assert.equal(valmiRow(got!).op, 'append');
  });

  it('ETLWORKS JSON POST: the document’s fields, epoch-millisecond timestamp, X-Etl-Webhook-* headers and HMAC-SHA1 signature', async () => {
    const app = ctx();
    receiver.reset();
    const r = await wireRoute(app, `${receiver.url}/etl`, {}, { payloadFormat: 'ETLWORKS' });
    const occurredAt = '2020-05-02T14:20:00.207Z';
    const { eventId } = await publish(app, {
      type: r.type,
      entityId: '11225',
      entityUrl: 'https://app.example.com/rest/v1/flows/1',
      data: { flow: 1 },
      occurredAt,
    });
    const [got] = await receiver.waitFor(1);
    verifyStandard(r.signingSecret, got!);
    const event = etlworksEvent(got!, r.signingSecret);
    assert.deepEqual(event, {
      eventId,
      eventType: r.type,
      webhookId: r.webhookId,
      entityId: '11225',
      entity: { flow: 1 },
      entityUrl: 'https://app.example.com/rest/v1/flows/1',
      timestamp: 1588429200207,
    });
    assert.equal(got!.headers['x-etl-webhook-id'], r.webhookId);
    assert.equal(got!.headers['x-etl-webhook-entity-id'], '11225');
    assert.equal(got!.headers['x-etl-webhook-entity-url'], 'https://app.example.com/rest/v1/flows/1');
  });

  it('ETLWORKS form POST and GET: keyed with the custom HMAC secret when the destination has one; no entity unless included', async () => {
    const app = ctx();
    receiver.reset();
    const hmacSecret = 'etl-shared-secret';
    const form = await wireRoute(
      app,
      `${receiver.url}/form`,
      { format: 'FORM_URLENCODED', signing: { customHmac: { secret: hmacSecret } } },
      { payloadFormat: 'ETLWORKS', includeEntity: false },
    );
    const { eventId } = await publish(app, { type: form.type, entityId: '11157', data: { secret: 'not sent' } });
    const [posted] = await receiver.waitFor(1);
    assert.equal(posted!.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.match(
      posted!.body,
      new RegExp(`^eventId=${eventId}&eventType=${form.type.replace('.', '\\.')}&webhookId=${form.webhookId}&entityId=11157&timestamp=\\d+$`),
    );
    assert.equal(etlworksEvent(posted!, hmacSecret).entityId, '11157');
    verifyStandard(form.signingSecret, posted!);

    receiver.reset();
    const get = await wireRoute(app, `${receiver.url}/get`, { method: 'GET' }, { payloadFormat: 'ETLWORKS' });
    const second = await publish(app, { type: get.type, entityId: 'e2' });
    const [got] = await receiver.waitFor(1);
    assert.deepEqual(etlworksEvent(got!, get.signingSecret), {
      eventId: second.eventId,
      eventType: get.type,
      webhookId: get.webhookId,
      entityId: 'e2',
      entityUrl: undefined,
    });
    assert.equal(new URL(got!.url, receiver.url).searchParams.get('eventId'), second.eventId);
    verifyStandard(get.signingSecret, got!);
  });

  it('a change of the destination’s format or the webhook’s payloadFormat goes out with the next delivery', async () => {
    const app = ctx();
    receiver.reset();
    const r = await wireRoute(app, `${receiver.url}/changing`);
    await publish(app, { type: r.type, data: { n: 1 } });
    const [json] = await receiver.waitFor(1);
    assert.equal(json!.headers['content-type'], 'application/json');
    const upd = await app.gql(`mutation($id: ID!) { destinationUpdate(id: $id, input: { format: FORM_URLENCODED }) { userErrors { message } } }`, {
      id: r.destinationId,
    });
    assert.deepEqual(upd.data.destinationUpdate.userErrors, []);
    await publish(app, { type: r.type, data: { n: 2 } });
    const [, form] = await receiver.waitFor(2);
    assert.equal(form!.headers['content-type'], 'application/x-www-form-urlencoded', 'the destination as it is now, not as it was cached');
    await app.gql(`mutation($id: ID!) { webhookUpdate(id: $id, input: { payloadFormat: ETLWORKS }) { userErrors { message } } }`, { id: r.webhookId });
    await publish(app, { type: r.type, data: { n: 3 } });
    const [, , etl] = await receiver.waitFor(3);
    assert.ok(etl!.headers['x-etl-webhook-signature'], 'the webhook as it is now');
  });

  it('payloadFormat: HOOKGRAPH by default, read back, changed by webhookUpdate; an unknown format is refused', async () => {
    const app = ctx();
    receiver.reset();
    const r = await wireRoute(app, receiver.url);
    const read = await app.gql(`query($id: ID!) { node(id: $id) { ... on Webhook { payloadFormat } } }`, { id: r.webhookId });
    assert.equal(read.data.node.payloadFormat, 'HOOKGRAPH');
    const upd = await app.gql(
      `mutation($id: ID!) { webhookUpdate(id: $id, input: { payloadFormat: ETLWORKS }) { webhook { payloadFormat } userErrors { message } } }`,
      {
        id: r.webhookId,
      },
    );
    assert.equal(upd.data.webhookUpdate.webhook.payloadFormat, 'ETLWORKS');
    await publish(app, { type: r.type });
    const [got] = await receiver.waitFor(1);
    assert.ok(got!.headers['x-etl-webhook-signature'], 'the new format is sent');
    const bad = await app.gql(`mutation($id: ID!) { webhookUpdate(id: $id, input: { payloadFormat: SOAP }) { webhook { id } } }`, { id: r.webhookId });
    assert.match(bad.errors?.[0]?.message ?? '', /PayloadFormat/);
  });
});
