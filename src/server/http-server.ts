import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Logger } from '../logger';
import type { Services } from '../services';
import { sendJson } from './graphql-http';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

export interface Routes {
  graphql: RouteHandler;
  /** Extra routes by exact path, or by a path prefix ending in "/" (other than "/" itself). */
  extra?: Record<string, RouteHandler>;
  /** Dependencies /readyz checks besides the database (e.g. Redis), each rejecting when unreachable. */
  readiness?: Record<string, () => Promise<void>>;
}

/**
 * One node:http server for everything on the port: /graphql, health, and what later
 * parts mount (dashboard, listeners, metrics). Errors become 500 without details.
 */
export function createHttpServer(services: Services, routes: Routes, log: Logger): http.Server {
  const extra = Object.entries(routes.extra ?? {});
  return http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const handler = route(url.pathname);
    handler(req, res, url).catch((error: unknown) => {
      log.error({ err: error, path: url.pathname }, 'request failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal server error' });
      else res.destroy();
    });
  });

  function route(path: string): RouteHandler {
    if (path === '/graphql') return routes.graphql;
    if (path === '/healthz') return healthz;
    if (path === '/readyz') return readyz;
    const exact = routes.extra?.[path];
    if (exact) return exact;
    // A prefix is a path ending in "/" below the root ("/" itself matches only "/").
    for (const [prefix, handler] of extra) {
      if (prefix.length > 1 && prefix.endsWith('/') && path.startsWith(prefix)) return handler;
    }
    return notFound;
  }

  async function healthz(_req: IncomingMessage, res: ServerResponse) {
    sendJson(res, 200, { status: 'ok' });
  }

  async function readyz(_req: IncomingMessage, res: ServerResponse) {
    const checks: [string, () => Promise<void>][] = [['database', () => services.db.ping()], ...Object.entries(routes.readiness ?? {})];
    const results = await Promise.all(
      checks.map(([name, check]) =>
        check().then(
          () => [name, 'ok'],
          () => [name, 'unreachable'],
        ),
      ),
    );
    const ready = results.every(([, state]) => state === 'ok');
    sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'unavailable', ...Object.fromEntries(results) });
  }

  async function notFound(req: IncomingMessage, res: ServerResponse) {
    req.resume();
    sendJson(res, 404, { error: 'not found' });
  }
}
