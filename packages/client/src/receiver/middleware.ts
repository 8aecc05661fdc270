import type { IncomingMessage, ServerResponse } from 'node:http';
import { standardSigner } from './verify-webhook';
import { refuse } from './refusal';
import { verifyRequest, type VerifiedWebhook, type WebhookRequestOptions } from './verify-request';

/** A request that passed verification: the verified payload is on `webhook`. */
export interface WebhookRequest extends IncomingMessage {
  webhook: VerifiedWebhook;
}

/** The `(req, res, next)` shape of Express and Connect middleware. */
export type WebhookMiddleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

/**
 * Express (or Connect) middleware: verifies the request, answers 401 with a short reason
 * when the signature or its time is wrong, else sets `req.webhook` and calls `next()`.
 * Mount it before any body parser (it reads the raw body itself), or after `express.raw()`.
 * Errors that are not about the request (a consumed body) go to `next(error)`.
 */
export function webhookMiddleware(options: WebhookRequestOptions): WebhookMiddleware {
  checkSecret(options);
  return (req, res, next) => {
    verifyRequest(req, options).then(
      (webhook) => {
        (req as WebhookRequest).webhook = webhook;
        next();
      },
      (error: unknown) => {
        if (!refuse(res, error)) next(error);
      },
    );
  };
}

/** What runs for a verified webhook; it answers through `res`. */
export type WebhookHandler = (webhook: VerifiedWebhook, req: IncomingMessage, res: ServerResponse) => unknown;

/**
 * A `node:http` request listener: verifies each request, answers refusals as the
 * middleware does, and calls `handler` for the verified ones. An error thrown by the
 * handler (or an unreadable request) answers 500 and goes to `onError`.
 */
export function webhookHandler(
  options: WebhookRequestOptions & { onError?: (error: unknown) => void },
  handler: WebhookHandler,
): (req: IncomingMessage, res: ServerResponse) => void {
  checkSecret(options);
  return (req, res) => {
    const fail = (error: unknown) => {
      options.onError?.(error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end();
    };
    verifyRequest(req, options).then(
      (webhook) => {
        // Whatever the handler throws is its own failure, never a refusal of the request.
        Promise.resolve()
          .then(() => handler(webhook, req, res))
          .catch(fail);
      },
      (error: unknown) => {
        if (!refuse(res, error)) fail(error);
      },
    );
  };
}

/** A wrong secret is a configuration mistake: say so when the receiver is set up, not at the first request. */
function checkSecret(options: WebhookRequestOptions): void {
  if ('secret' in options) standardSigner(options.secret);
}
