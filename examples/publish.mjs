#!/usr/bin/env node
// Publishes one event and prints it with the deliveries it created.
//
//   node examples/publish.mjs order.created '{"total": 99.5}' [--entity-id 42] [--idempotency-key order-42]
import { parseArgs } from 'node:util';
import { graphql, run } from './graphql.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { 'entity-id': { type: 'string' }, 'idempotency-key': { type: 'string' } },
});
const [type, data = '{}'] = positionals;

run(async () => {
  if (!type) throw new Error("usage: node examples/publish.mjs <event type> ['<JSON data>'] [--entity-id ID] [--idempotency-key KEY]");
  let parsed;
  try {
    parsed = JSON.parse(data);
  } catch {
    throw new Error(`the data is not JSON: ${data}`);
  }
  const input = { type, data: parsed, entityId: values['entity-id'], idempotencyKey: values['idempotency-key'] };
  const { eventPublish } = await graphql(
    `
      mutation ($input: EventPublishInput!) {
        eventPublish(input: $input) {
          event {
            id
            type
          }
          deliveries {
            id
            status
          }
          userErrors {
            field
            message
          }
        }
      }
    `,
    { input },
  );
  const { event, deliveries } = eventPublish;
  console.log(`published ${event.id} (${event.type}) with ${deliveries.length} ${deliveries.length === 1 ? 'delivery' : 'deliveries'}`);
  for (const d of deliveries) console.log(`  delivery ${d.id} ${d.status}`);
});
