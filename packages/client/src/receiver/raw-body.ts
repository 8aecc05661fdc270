import type { IncomingMessage } from 'node:http';
import { WebhookVerificationError } from './errors';

/** hookgraph's own limit for inbound bodies; its envelopes are far smaller. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** A request as Express may hand it on: a body parser before us may have kept the raw body. */
interface MaybeParsed extends IncomingMessage {
  body?: unknown;
  originalUrl?: string;
}

/** A GET's signed payload: the raw query string as received, without the `?` (mounted Express routers keep it in `originalUrl`). */
export function rawQuery(req: IncomingMessage): string {
  const url = (req as MaybeParsed).originalUrl ?? req.url ?? '';
  const mark = url.indexOf('?');
  return mark === -1 ? '' : url.slice(mark + 1);
}

/**
 * The body exactly as received: the signature covers these bytes, so nothing may parse
 * it first. A body that `express.raw()` or `express.text()` kept is used as is; one that
 * a JSON or form parser consumed cannot be verified, which is said plainly.
 */
export async function rawBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const { body } = req as MaybeParsed;
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (req.readableEnded) {
    throw new Error('the request body was already consumed (a body parser?): put the webhook middleware before it, or use express.raw()');
  }
  const declared = Number(req.headers['content-length']);
  if (declared > maxBytes) throw tooLarge(maxBytes);
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      // Stop keeping it but let it drain, so that the answer can still be sent on this connection.
      req.off('data', onData).off('end', onEnd).resume();
      reject(tooLarge(maxBytes));
    };
    const onEnd = () => resolve(Buffer.concat(chunks));
    req.on('data', onData).on('end', onEnd).once('error', reject);
  });
}

function tooLarge(maxBytes: number): WebhookVerificationError {
  return new WebhookVerificationError('PAYLOAD_TOO_LARGE', `the body is larger than ${maxBytes} bytes`);
}
