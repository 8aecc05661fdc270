#!/usr/bin/env node
// Points hookgraph at a receiver: creates a destination for its URL and a webhook for some
// event types, and prints the destination's signing secret (shown only this once).
//
//   node examples/subscribe.mjs http://127.0.0.1:3000/webhooks 'order.*' [--method GET] [--format FORM_URLENCODED] [--name NAME]
import { parseArgs } from 'node:util';
import { graphql, run } from './graphql.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    method: { type: 'string', default: 'POST' },
    format: { type: 'string', default: 'JSON' },
    // Destination names are unique: give one when several point at the same URL.
    name: { type: 'string' },
  },
});
const [url, ...eventTypes] = positionals;
const USAGE = 'usage: node examples/subscribe.mjs <receiver url> [event type pattern …] [--method POST|PUT|GET] [--format JSON|FORM_URLENCODED] [--name NAME]';

run(async () => {
  if (!url) throw new Error(USAGE);
  const { destinationCreate } = await graphql(
    `
      mutation ($input: DestinationCreateInput!) {
        destinationCreate(input: $input) {
          destination {
            id
          }
          signingSecret
          userErrors {
            field
            message
          }
        }
      }
    `,
    { input: { name: values.name ?? `receiver at ${url}`, url, method: values.method, format: values.format } },
  );
  const destinationId = destinationCreate.destination.id;
  const types = eventTypes.length ? eventTypes : ['*'];
  const { webhookCreate } = await graphql(
    `
      mutation ($input: WebhookCreateInput!) {
        webhookCreate(input: $input) {
          webhook {
            id
          }
          userErrors {
            field
            message
          }
        }
      }
    `,
    { input: { name: `${destinationId} ${types.join(' ')}`, destinationId, eventTypes: types, includeEntity: true } },
  );
  console.log(`destination ${destinationId} → ${values.method} ${url}`);
  console.log(`webhook ${webhookCreate.webhook.id} for ${types.join(', ')}`);
  console.log(`HOOKGRAPH_SECRET=${destinationCreate.signingSecret}`);
});
