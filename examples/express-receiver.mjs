#!/usr/bin/env node
// A receiver that accepts only genuine, fresh webhooks from hookgraph: JSON and form bodies
// (POST/PUT) and GET deliveries (signed over their query string) on one path.
//
//   HOOKGRAPH_SECRET=whsec_… PORT=3000 node examples/express-receiver.mjs
import express from 'express';
import { webhookMiddleware } from '@hookgraph/client/receiver';

const secret = process.env.HOOKGRAPH_SECRET;
if (!secret) {
  console.error('set HOOKGRAPH_SECRET to the whsec_… signing secret of the destination (node examples/subscribe.mjs prints it)');
  process.exit(1);
}

const app = express();
// Before any body parser: the signature covers the raw bytes, which the middleware reads.
// A bad signature, an old timestamp or missing headers are answered 401 here.
const verified = webhookMiddleware({ secret });

app.all('/webhooks', verified, (req, res) => {
  const { id, format, payload } = req.webhook;
  // JSON arrives as the envelope; form bodies and GET queries as its flattened fields
  // (this reads the default payload format, HOOKGRAPH).
  const type = payload.type;
  const deliveryId = format === 'json' ? payload.meta.deliveryId : payload.meta__deliveryId;
  // webhook-id is the event id, the same on every retry: a real receiver de-duplicates on it.
  console.log(`verified ${format} ${type} ${id} delivery ${deliveryId}`);
  res.status(204).end();
});

const server = app.listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? '127.0.0.1', () => {
  const { address, port } = server.address();
  console.log(`receiving webhooks on http://${address}:${port}/webhooks`);
});

const stop = () => {
  // hookgraph keeps connections alive for the next delivery: close them too.
  server.closeAllConnections();
  server.close(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
