import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { deferred, type Deferred } from './deferred';

/** What the proxy does to the next query (COM_QUERY) whose text matches. */
type Rule =
  | { kind: 'drop-reply'; match: (sql: string) => boolean; done: Deferred<number> }
  | { kind: 'fail'; match: (sql: string) => boolean; code: number; message: string; done: Deferred<number> }
  | { kind: 'rewrite'; match: (sql: string) => boolean; rewrite: (sql: string) => string };

const COM_QUERY = 0x03;
const HEADER = 4;

/**
 * A TCP proxy between hookgraph and a real MySQL server that reads the client's packets
 * (the MySQL protocol frames each one: 3 bytes of length, 1 of sequence) and can break
 * one exchange on purpose:
 * - `dropReplyOnce`: forwards a query, waits until the server has answered it whole
 *   (so whatever it committed is committed), drops the answer and resets the client's
 *   connection: an acknowledgement lost on the way back;
 * - `failOnce`: answers a query with an error packet of its own, never forwarding it;
 * - `rewrite`: changes the text of matching queries before the server sees them.
 * Connections are numbered in the order they open; `queries(n)` lists what connection n
 * sent.
 */
export class MysqlProxy {
  private readonly rules: Rule[] = [];
  private readonly sent = new Map<number, string[]>();
  private readonly closed = new Set<number>();
  private readonly sockets = new Set<net.Socket>();
  private connections = 0;

  private constructor(
    private readonly server: net.Server,
    private readonly target: { host: string; port: number },
  ) {}

  static async start(mysqlUrl: string): Promise<MysqlProxy> {
    const target = new URL(mysqlUrl);
    const server = net.createServer();
    const proxy = new MysqlProxy(server, { host: target.hostname, port: Number(target.port || 3306) });
    server.on('connection', (client) => proxy.accept(client));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    return proxy;
  }

  /** `mysqlUrl` with its host and port replaced by the proxy's. */
  url(mysqlUrl: string): string {
    const url = new URL(mysqlUrl);
    url.hostname = '127.0.0.1';
    url.port = String((this.server.address() as AddressInfo).port);
    return url.toString();
  }

  /** Resolves with the connection's number once the answer was dropped and the connection reset. */
  dropReplyOnce(match: (sql: string) => boolean): Promise<number> {
    const done = deferred<number>();
    this.rules.push({ kind: 'drop-reply', match, done });
    return done.promise;
  }

  /** Resolves with the connection's number once the error was answered. */
  failOnce(match: (sql: string) => boolean, code: number, message: string): Promise<number> {
    const done = deferred<number>();
    this.rules.push({ kind: 'fail', match, code, message, done });
    return done.promise;
  }

  rewrite(match: (sql: string) => boolean, rewrite: (sql: string) => string): void {
    this.rules.push({ kind: 'rewrite', match, rewrite });
  }

  /** The queries connection `n` sent (forwarded or not). */
  queries(n: number): string[] {
    return this.sent.get(n) ?? [];
  }

  isClosed(n: number): boolean {
    return this.closed.has(n);
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: net.Socket): void {
    const n = ++this.connections;
    const upstream = net.connect(this.target.port, this.target.host);
    this.sockets.add(client).add(upstream);
    this.sent.set(n, []);
    let pending: Buffer = Buffer.alloc(0);
    /** Server bytes go to the client unless an answer is being dropped. */
    let dropping: { done: Deferred<number>; seen: Buffer } | null = null;
    const close = () => {
      this.closed.add(n);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
    upstream.on('data', (chunk: Buffer) => {
      if (!dropping) {
        client.write(chunk);
        return;
      }
      dropping.seen = Buffer.concat([dropping.seen, chunk]);
      if (answeredWhole(dropping.seen)) {
        const { done } = dropping;
        client.resetAndDestroy();
        upstream.destroy();
        this.closed.add(n);
        done.resolve(n);
      }
    });
    client.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= HEADER) {
        const length = pending.readUIntLE(0, 3);
        if (pending.length < HEADER + length) break;
        let packet: Buffer = pending.subarray(0, HEADER + length);
        pending = pending.subarray(HEADER + length);
        if (packet[3] === 0 && packet[HEADER] === COM_QUERY) {
          const sql = packet.subarray(HEADER + 1).toString('utf8');
          this.sent.get(n)!.push(sql);
          const rule = this.rules.find((r) => r.match(sql));
          if (rule?.kind === 'fail') {
            this.rules.splice(this.rules.indexOf(rule), 1);
            client.write(errorPacket(rule.code, rule.message));
            rule.done.resolve(n);
            continue;
          }
          if (rule?.kind === 'drop-reply') {
            this.rules.splice(this.rules.indexOf(rule), 1);
            dropping = { done: rule.done, seen: Buffer.alloc(0) };
          }
          if (rule?.kind === 'rewrite') packet = queryPacket(rule.rewrite(sql));
        }
        upstream.write(packet);
      }
    });
  }
}

/** A COM_QUERY packet (sequence 0) carrying `sql`. */
function queryPacket(sql: string): Buffer {
  const body = Buffer.concat([Buffer.from([COM_QUERY]), Buffer.from(sql, 'utf8')]);
  const header = Buffer.alloc(HEADER);
  header.writeUIntLE(body.length, 0, 3);
  return Buffer.concat([header, body]);
}

/** An ERR packet answering a query (sequence 1): 0xff, the code, '#', a SQLSTATE, the message. */
function errorPacket(code: number, message: string): Buffer {
  const body = Buffer.concat([Buffer.from([0xff, code & 0xff, code >> 8]), Buffer.from(`#HY000${message}`, 'utf8')]);
  const header = Buffer.alloc(HEADER);
  header.writeUIntLE(body.length, 0, 3);
  header[3] = 1;
  return Buffer.concat([header, body]);
}

/**
 * Whether the server's answer to a query of writes (one OK or ERR packet per statement)
 * is complete: an ERR packet ends it, and so does an OK packet without the flag saying
 * more results follow.
 */
function answeredWhole(bytes: Buffer): boolean {
  let at = 0;
  while (at + HEADER <= bytes.length) {
    const length = bytes.readUIntLE(at, 3);
    if (at + HEADER + length > bytes.length) return false;
    const body = bytes.subarray(at + HEADER, at + HEADER + length);
    at += HEADER + length;
    if (body[0] === 0xff) return true;
    if (body[0] === 0x00) {
      let p = 1;
      p = skipLengthEncoded(body, p); // affected rows
      p = skipLengthEncoded(body, p); // last insert id
      const SERVER_MORE_RESULTS_EXISTS = 0x0008;
      if ((body.readUInt16LE(p) & SERVER_MORE_RESULTS_EXISTS) === 0) return true;
    }
  }
  return false;
}

function skipLengthEncoded(body: Buffer, p: number): number {
  const first = body[p]!;
  if (first < 0xfb) return p + 1;
  if (first === 0xfc) return p + 3;
  if (first === 0xfd) return p + 4;
  return p + 9;
}
