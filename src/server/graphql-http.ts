import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApolloServer, HeaderMap } from '@apollo/server';
import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import { createContext, type Context } from '../graphql/context';
import { ErrorCode, formatError } from '../graphql/errors';
import { limitRules } from '../graphql/limits/operation-limits';
import { queryTextError } from '../graphql/limits/query-text';
import type { Services } from '../services';
import { graphqlLimitsPlugin } from './graphql-limits.plugin';
import { authenticate } from './authenticate';
import { BodyTooLargeError, readBody } from './read-body';

/**
 * Headers whose presence proves a browser sent the request only after a CORS preflight.
 * Every request here must carry `Authorization: Bearer …` (401 otherwise), and no browser
 * sends that header cross-site without a preflight, so a GET query with it is safe;
 * Apollo still refuses GET mutations.
 */
const PREFLIGHT_PROOF_HEADERS = ['authorization', 'x-apollo-operation-name', 'apollo-require-preflight'];

export function createApollo(schema: GraphQLSchema, services: Services, plugins: ApolloServerPlugin<Context>[] = []) {
  const production = services.config.profile === 'production';
  return new ApolloServer<Context>({
    schema,
    csrfPrevention: { requestHeaders: PREFLIGHT_PROOF_HEADERS },
    // limitRules refuses introspection when it is off, naming the variable that turns it on.
    introspection: true,
    formatError: formatError(!production),
    validationRules: limitRules(services.config.introspection),
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    // main.ts owns the process signals and stops Apollo in order.
    stopOnTerminationSignals: false,
    // Cache hints are for HTTP caches of queries; nothing here is cacheable, so skip the per-field walk.
    // The playground is hookgraph's own (server/playground), served without a CDN; Apollo's landing page is off.
    plugins: [ApolloServerPluginCacheControlDisabled(), ApolloServerPluginLandingPageDisabled(), graphqlLimitsPlugin(services.config.queryLimits), ...plugins],
  });
}

/** The bearer key of a request, if it sent one. */
export function bearerKey(header: string | undefined): string | undefined {
  const match = header && /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : undefined;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function graphqlError(res: ServerResponse, status: number, message: string, code: string, headers: Record<string, string> = {}) {
  sendJson(res, status, { errors: [{ message, extensions: { code } }] }, headers);
}

function headerValue(value: string | string[] | undefined): string | null {
  return typeof value === 'string' ? value : null;
}

/** The query text of a POST body or of a GET's `?query=`. */
function queryOf(body: unknown, url: URL): unknown {
  return body === undefined ? url.searchParams.get('query') : (body as { query?: unknown } | null)?.query;
}

/**
 * `/graphql` over HTTP: authenticate, read the body within its limit, then hand the
 * request to Apollo (which applies CSRF prevention, validation and execution).
 */
export function graphqlHttpHandler(apollo: ApolloServer<Context>, services: Services) {
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const caller = await authenticate(services, bearerKey(req.headers.authorization));
    if ('refused' in caller) {
      req.resume();
      sendJson(
        res,
        401,
        { errors: [{ message: caller.refused, extensions: { code: ErrorCode.UNAUTHENTICATED, reason: caller.reason } }] },
        { 'www-authenticate': 'Bearer' },
      );
      return;
    }
    const { principal } = caller;
    let body: unknown;
    if (req.method === 'POST') {
      let raw: Buffer;
      try {
        raw = await readBody(req, services.config.maxRequestBodyBytes);
      } catch (error) {
        if (error instanceof BodyTooLargeError) {
          graphqlError(res, 413, error.message, ErrorCode.BAD_USER_INPUT, { connection: 'close' });
          return;
        }
        throw error;
      }
      if (/^application\/(graphql-response\+)?json/i.test(req.headers['content-type'] ?? '')) {
        try {
          body = JSON.parse(raw.toString('utf8'));
        } catch {
          graphqlError(res, 400, 'the body is not valid JSON', ErrorCode.BAD_USER_INPUT);
          return;
        }
      } else {
        body = raw.toString('utf8');
      }
    } else {
      req.resume();
    }
    const query = queryOf(body, url);
    const refused = typeof query === 'string' ? queryTextError(query, services.config.queryLimits.maxTokens) : undefined;
    if (refused) {
      sendJson(res, 400, { errors: [refused.toJSON()] });
      return;
    }
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
      context: async () => createContext(services, principal, headerValue(req.headers.traceparent)),
    });
    for (const [name, value] of response.headers) res.setHeader(name, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };
}
