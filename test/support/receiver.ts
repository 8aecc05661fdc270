import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { after, before } from 'node:test';
import { deferred, type Deferred } from './deferred';

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
  /** The client socket's port: tells apart connections (and so processes) that sent. */
  remotePort: number;
}

/** How the receiver answers the next request; change it mid-test with `receiver.behave(...)`. */
export type Behaviour =
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: string; delayMs?: number }
  /** Answers only after `delayMs` (a receiver slower than the timeout). */
  | { kind: 'hang'; delayMs: number }
  /** Reads the request and never answers. */
  | { kind: 'never' }
  /** Sends the status line, headers and part of the body, then resets the connection. */
  | { kind: 'reset-mid-body' }
  /** A 200 with a body of `bytes` bytes. */
  | { kind: 'huge'; bytes: number }
  /** A 200 whose body trickles one byte every `everyMs` for `forMs` (a slow drip). */
  | { kind: 'drip'; everyMs: number; forMs: number };

/**
 * The suite's receiver: listening before its tests (from where this is called, among the
 * suite's hooks), stopped after them.
 */
export function useReceiver(): Receiver {
  const receiver = new Receiver();
  before(() => receiver.listen());
  after(() => receiver.stop());
  return receiver;
}

/**
 * A real HTTP receiver on 127.0.0.1 with a free port: records every request and answers
 * as told. `behave` applies to all following requests; `script` queues one-off answers
 * that are used first (e.g. three 500s, then the default). The one receiver of every
 * test: a suite's comes from `useReceiver()`, one within a test from `Receiver.start()`.
 */
export class Receiver {
  readonly requests: ReceivedRequest[] = [];
  /** Connections opened to it so far, answered or not (a guard that refuses must open none). */
  connections = 0;
  /** Requests arrived and not yet answered (or closed), and the most there ever were at once. */
  open = 0;
  maxOpen = 0;
  private behaviour: Behaviour = { kind: 'status', status: 200 };
  private scripted: Behaviour[] = [];
  private waiters: { count: number; d: Deferred<ReceivedRequest[]> }[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly server: http.Server;

  constructor() {
    this.server = http.createServer((req, res) => this.handle(req, res));
    this.server.keepAliveTimeout = 60_000;
    this.server.on('connection', (socket) => {
      this.connections += 1;
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  static async start(): Promise<Receiver> {
    const receiver = new Receiver();
    await receiver.listen();
    return receiver;
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  behave(behaviour: Behaviour): void {
    this.behaviour = behaviour;
  }

  script(...behaviours: Behaviour[]): void {
    this.scripted.push(...behaviours);
  }

  /** Resolves once `count` requests in total have arrived. */
  waitFor(count: number, timeoutMs = 10_000): Promise<ReceivedRequest[]> {
    if (this.requests.length >= count) return Promise.resolve(this.requests.slice());
    const d = deferred<ReceivedRequest[]>();
    const timer = setTimeout(() => d.reject(new Error(`receiver got ${this.requests.length} of ${count} requests within ${timeoutMs} ms`)), timeoutMs);
    this.waiters.push({ count, d });
    return d.promise.finally(() => clearTimeout(timer));
  }

  reset(): void {
    this.requests.length = 0;
    this.maxOpen = this.open;
    this.scripted = [];
    this.behaviour = { kind: 'status', status: 200 };
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    this.open += 1;
    this.maxOpen = Math.max(this.maxOpen, this.open);
    // Closed when the answer is written (not when its 'close' event comes: on a busy
    // machine that can come after the client has its answer and has sent the next
    // request), or when the connection goes without one.
    let closed = false;
    const close = () => {
      if (!closed) this.open -= 1;
      closed = true;
    };
    const end = res.end.bind(res) as (...args: unknown[]) => http.ServerResponse;
    res.end = ((...args: unknown[]) => {
      close();
      return end(...args);
    }) as typeof res.end;
    res.on('close', close);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const record: ReceivedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
        remotePort: req.socket.remotePort ?? 0,
      };
      this.requests.push(record);
      for (const w of this.waiters.slice()) {
        if (this.requests.length >= w.count) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.d.resolve(this.requests.slice());
        }
      }
      this.answer(this.scripted.shift() ?? this.behaviour, res);
    });
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  private answer(b: Behaviour, res: http.ServerResponse): void {
    switch (b.kind) {
      case 'status': {
        const send = () => {
          res.writeHead(b.status, b.headers ?? {});
          res.end(b.body ?? '');
        };
        if (b.delayMs) this.later(b.delayMs, send);
        else send();
        return;
      }
      case 'hang':
        this.later(b.delayMs, () => {
          if (!res.destroyed) res.writeHead(200).end('late');
        });
        return;
      case 'never':
        return;
      case 'reset-mid-body':
        res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '100000' });
        res.write('x'.repeat(1000), () => this.later(20, () => res.socket?.resetAndDestroy()));
        return;
      case 'huge': {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        const chunk = Buffer.alloc(64 * 1024, 'a');
        let left = b.bytes;
        const pump = () => {
          while (left > 0) {
            const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
            left -= piece.length;
            if (!res.write(piece)) {
              res.once('drain', pump);
              return;
            }
          }
          res.end();
        };
        res.on('error', () => undefined);
        pump();
        return;
      }
      case 'drip': {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.on('error', () => undefined);
        const until = Date.now() + b.forMs;
        const drip = () => {
          if (res.destroyed) return;
          if (Date.now() >= until) return void res.end('.');
          res.write('.');
          this.later(b.everyMs, drip);
        };
        drip();
        return;
      }
      default: {
        const never: never = b;
        throw new Error(`unknown behaviour ${JSON.stringify(never)}`);
      }
    }
  }
}
