import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ReceivedRequest, ReceiverCommand, ReceiverStats } from './ledger-receiver';

/**
 * The receiver of the peer benchmark, in a process of its own so that it costs every
 * system the same: answers 200 to every POST, counts requests and distinct `webhook-id`s,
 * and keeps a uniform sample of the requests (reservoir sampling) for the signature check.
 * It verifies nothing itself: that would cost each drain's timing a share of its CPU.
 */
const SAMPLE_SIZE = Number(process.env.LEDGER_RECEIVER_SAMPLE) || 32;

const ids = new Set<string>();
let requests = 0;
let sample: ReceivedRequest[] = [];

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const id = String(req.headers['webhook-id'] ?? '');
    ids.add(id);
    requests += 1;
    const slot = sample.length < SAMPLE_SIZE ? sample.length : Math.floor(Math.random() * requests);
    if (slot < SAMPLE_SIZE) {
      sample[slot] = {
        headers: {
          'webhook-id': id,
          'webhook-timestamp': String(req.headers['webhook-timestamp'] ?? ''),
          'webhook-signature': String(req.headers['webhook-signature'] ?? ''),
        },
        body: Buffer.concat(chunks).toString('utf8'),
      };
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));

process.on('message', (command: ReceiverCommand) => {
  if (command === 'reset') {
    ids.clear();
    requests = 0;
    sample = [];
  }
  const stats: ReceiverStats = { requests, distinct: ids.size, sample: command === 'sample' ? sample : [] };
  process.send!(stats);
});
