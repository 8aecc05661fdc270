import { Agent, request } from 'undici';
import type { Header } from '../domain/destination/destination.entity';
import { AttemptTimeoutError, toAttemptError, type AttemptError } from './errors';
import type { OutboundRequest } from './request/outbound-request';
import type { AddressPolicy } from './ssrf/address-policy';
import { checkUrlHost, guardedLookup } from './ssrf/guarded-lookup';

/** SPEC §3: a response body is kept up to 64 KiB, then cut and flagged. */
export const MAX_RESPONSE_BYTES = 64 * 1024;

export interface HttpResponse {
  statusCode: number;
  headers: Header[];
  body: string;
  truncated: boolean;
}

/** What one exchange produced: a readable response, or an error with whatever arrived before it. */
export type HttpExchange =
  | { kind: 'RESPONSE'; response: HttpResponse; durationMs: number }
  | { kind: 'FAILURE'; error: AttemptError; partial: HttpResponse | null; durationMs: number };

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

  constructor(private readonly options: HttpClientOptions) {
    const { keepAliveMs = 30_000 } = options;
    this.agent = new Agent({
      connect: { lookup: guardedLookup(options.policy) },
      keepAliveTimeout: keepAliveMs,
      keepAliveMaxTimeout: keepAliveMs,
    });
  }

  async send(req: OutboundRequest, timeoutMs: number, signal?: AbortSignal): Promise<HttpExchange> {
    const started = performance.now();
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new AttemptTimeoutError(timeoutMs));
    }, timeoutMs);
    const onAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    let partial: HttpResponse | null = null;
    try {
      // Literal IP hosts never reach the lookup: check them before any socket.
      checkUrlHost(new URL(req.url), this.options.policy);
      const res = await request(req.url, {
        dispatcher: this.agent,
        method: req.method,
        headers: req.headers.flatMap((h) => [h.name, h.value]),
        body: req.body ?? undefined,
        signal: controller.signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      partial = { statusCode: res.statusCode, headers: toHeaders(res.headers), body: '', truncated: false };
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        const room = MAX_RESPONSE_BYTES - size;
        if (chunk.length > room) {
          chunks.push(chunk.subarray(0, room));
          partial.truncated = true;
          // Leaving the loop destroys the body: the rest is never read and the socket is dropped.
          break;
        }
        chunks.push(chunk);
        size += chunk.length;
      }
      partial.body = Buffer.concat(chunks).toString('utf8');
      return { kind: 'RESPONSE', response: partial, durationMs: elapsed(started) };
    } catch (thrown) {
      return { kind: 'FAILURE', error: toAttemptError(thrown, timeoutMs, timedOut), partial, durationMs: elapsed(started) };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  /** Drops sockets at once (stop after the grace period). */
  async destroy(): Promise<void> {
    await this.agent.destroy();
  }
}

function elapsed(started: number): number {
  return Math.max(0, Math.round(performance.now() - started));
}

function toHeaders(raw: Record<string, string | string[] | undefined>): Header[] {
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
