import type { IncomingHttpHeaders } from 'node:http';
import { Agent, type Dispatcher } from 'undici';
import type { Header } from '../domain/destination/destination.entity';
import { Memo } from '../domain/common/memo';
import { AttemptTimeoutError, coerceError, toAttemptError, type AttemptError } from './errors';
import type { OutboundRequest } from './request/outbound-request';
import type { AddressPolicy } from './ssrf/address-policy';
import { checkUrlHost, guardedLookup } from './ssrf/guarded-lookup';

/** A response body is kept up to 64 KiB, then cut and flagged: enough to debug, bounded in storage. */
export const MAX_RESPONSE_BYTES = 64 * 1024;

export interface HttpResponse {
  statusCode: number;
  headers: Header[];
  body: string;
  truncated: boolean;
}

/** What one exchange produced: a readable response, or an error with whatever arrived before it. */
export type HttpExchange =
  { kind: 'RESPONSE'; response: HttpResponse; durationMs: number } | { kind: 'FAILURE'; error: AttemptError; partial: HttpResponse | null; durationMs: number };

/** A request URL split as undici's dispatch takes it. */
interface Target {
  origin: string;
  path: string;
}

/** URLs whose target HttpClient remembers. */
const REMEMBERED_TARGETS = 1000;

export interface HttpClientOptions {
  policy: AddressPolicy;
  /** Idle keep-alive sockets are kept this long (pools stay warm between bursts). */
  keepAliveMs?: number;
}

/**
 * All outbound HTTP of deliveries and test sends. One undici Agent keeps a keep-alive
 * pool per origin; every connection resolves through the SSRF guard, which checks and
 * pins the address. Redirects are never followed: undici's plain `request` does not,
 * and a 3xx is returned to the caller as it is.
 */
export class HttpClient {
  private readonly agent: Agent;
  /**
   * Where a URL sends to, checked: literal IP hosts never reach the lookup, so they are
   * judged here before any socket. Remembered per URL (every delivery to a destination
   * asks again); a refused URL throws each time.
   */
  private readonly targets = new Memo<string, Target>(REMEMBERED_TARGETS, (rawUrl) => {
    const url = new URL(rawUrl);
    checkUrlHost(url, this.options.policy);
    return { origin: url.origin, path: `${url.pathname}${url.search}` };
  });

  constructor(private readonly options: HttpClientOptions) {
    const { keepAliveMs = 30_000 } = options;
    this.agent = new Agent({
      connect: { lookup: guardedLookup(options.policy) },
      keepAliveTimeout: keepAliveMs,
      keepAliveMaxTimeout: keepAliveMs,
    });
  }

  /**
   * One exchange through undici's `dispatch` (no stream or promise layers per request):
   * the whole exchange, headers and body, within `timeoutMs`; the body kept up to
   * MAX_RESPONSE_BYTES, after which the socket is dropped and the response flagged.
   */
  send(req: OutboundRequest, timeoutMs: number, signal?: AbortSignal): Promise<HttpExchange> {
    const started = performance.now();
    let target: Target;
    try {
      target = this.targets.get(req.url);
    } catch (thrown) {
      return Promise.resolve({ kind: 'FAILURE', error: toAttemptError(thrown, timeoutMs, false), partial: null, durationMs: elapsed(started) });
    }
    return new Promise((resolve) => {
      const exchange = new Exchange(timeoutMs, started, signal, resolve);
      try {
        this.agent.dispatch(
          {
            origin: target.origin,
            path: target.path,
            method: req.method,
            headers: req.headers.flatMap((h) => [h.name, h.value]),
            body: req.body,
            headersTimeout: timeoutMs,
            bodyTimeout: timeoutMs,
          },
          exchange,
        );
      } catch (thrown) {
        exchange.onResponseError(null, coerceError(thrown));
      }
    });
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  /** Drops sockets at once (stop after the grace period). */
  async destroy(): Promise<void> {
    await this.agent.destroy();
  }
}

/** Dropping the rest of a body that outgrew MAX_RESPONSE_BYTES (not an error of the exchange). */
class BodyCut extends Error {}

/**
 * The exchanges listening to each abort signal, behind one listener per signal. Every
 * request of a dispatcher shares its stop signal: an `abort` listener of each, added and
 * removed per request, cost an EventTarget scan of all the others both times.
 */
const listening = new WeakMap<AbortSignal, Set<Exchange>>();

function listen(signal: AbortSignal, exchange: Exchange): void {
  let exchanges = listening.get(signal);
  if (!exchanges) {
    const set = new Set<Exchange>();
    listening.set(signal, (exchanges = set));
    const abortAll = () => {
      for (const e of [...set]) e.aborted(signal.reason);
    };
    signal.addEventListener('abort', abortAll, { once: true });
  }
  exchanges.add(exchange);
}

/** undici's handler for one exchange: collects the response and settles exactly once. */
class Exchange implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | null = null;
  private partial: HttpResponse | null = null;
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private timedOut = false;
  private settled = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly timeoutMs: number,
    private readonly started: number,
    private readonly signal: AbortSignal | undefined,
    private readonly resolve: (exchange: HttpExchange) => void,
  ) {
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.abort(new AttemptTimeoutError(timeoutMs));
    }, timeoutMs);
    if (signal?.aborted) queueMicrotask(() => this.aborted(signal.reason));
    else if (signal) listen(signal, this);
  }

  /** The caller's signal fired. */
  aborted(reason: unknown): void {
    this.abort(reason instanceof Error ? reason : new Error('aborted'));
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.settled) controller.abort(new Error('the exchange is over'));
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    if (statusCode < 200) return; // 1xx: the real response follows
    this.partial = { statusCode, headers: toHeaders(headers), body: '', truncated: false };
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    const room = MAX_RESPONSE_BYTES - this.size;
    if (chunk.length > room) {
      this.chunks.push(chunk.subarray(0, room));
      this.size += room;
      this.partial!.truncated = true;
      this.finish();
      // The rest is never read and the socket is dropped.
      controller.abort(new BodyCut('response body cut'));
      return;
    }
    this.chunks.push(chunk);
    this.size += chunk.length;
  }

  onResponseEnd(): void {
    this.finish();
  }

  onResponseError(_controller: Dispatcher.DispatchController | null, error: Error): void {
    if (this.settled) return;
    if (this.partial) this.partial.body = this.bodyText();
    this.settle({ kind: 'FAILURE', error: toAttemptError(error, this.timeoutMs, this.timedOut), partial: this.partial, durationMs: elapsed(this.started) });
  }

  private finish(): void {
    if (this.settled || !this.partial) return;
    this.partial.body = this.bodyText();
    this.settle({ kind: 'RESPONSE', response: this.partial, durationMs: elapsed(this.started) });
  }

  private bodyText(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }

  private abort(reason: Error): void {
    if (this.settled) return;
    if (this.controller) this.controller.abort(reason);
    else this.onResponseError(null, reason); // not on a socket yet: nothing to cancel but the wait
  }

  private settle(exchange: HttpExchange): void {
    this.settled = true;
    clearTimeout(this.timer);
    if (this.signal) listening.get(this.signal)?.delete(this);
    this.resolve(exchange);
  }
}

function elapsed(started: number): number {
  return Math.max(0, Math.round(performance.now() - started));
}

function toHeaders(raw: IncomingHttpHeaders): Header[] {
  const headers: Header[] = [];
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.push({ name, value: v });
  }
  return headers;
}

export function headerValue(headers: readonly Header[] | null, name: string): string | null {
  const lower = name.toLowerCase();
  return headers?.find((h) => h.name.toLowerCase() === lower)?.value ?? null;
}
