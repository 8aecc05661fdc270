#!/usr/bin/env node
// Serves this page on its own small server (any static server would do):
//   PORT=8080 node examples/browser/serve.mjs   → open the URL it prints
import { readFile } from 'node:fs/promises';
import http from 'node:http';

const FILES = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/deliveries.mjs': ['deliveries.mjs', 'text/javascript; charset=utf-8'],
};

const server = http.createServer(async (req, res) => {
  const file = FILES[new URL(req.url ?? '/', 'http://page').pathname];
  if (!file || (req.method !== 'GET' && req.method !== 'HEAD')) return void res.writeHead(404).end('not found\n');
  const body = await readFile(new URL(file[0], import.meta.url));
  // Scripts only from here; the page talks to hookgraph over WebSocket and nothing else.
  res.writeHead(200, { 'content-type': file[1], 'content-security-policy': "default-src 'self'; style-src 'unsafe-inline'; connect-src ws: wss:" });
  res.end(req.method === 'HEAD' ? undefined : body);
});

server.listen(Number(process.env.PORT ?? 8080), process.env.HOST ?? '127.0.0.1', () => {
  const { address, port } = server.address();
  console.log(`page: http://${address}:${port}/`);
});

const stop = () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
