import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RouteHandler } from '../http-server';
import { folderAssets, packageAsset, publicDir, serveAssets, type Asset } from '../static-files';

/**
 * Everything from this server (no CDN): GraphiQL's scripts, its styles (CodeMirror sets
 * some inline, hence 'unsafe-inline' for styles only), and sockets back to this host.
 */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; font-src 'self' data:; img-src 'self' data:; connect-src 'self' ws: wss:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

/** GraphiQL's browser build and what it runs on, from the installed packages. */
const VENDOR: Record<string, [pkg: string, file: string]> = {
  'react.production.min.js': ['react', 'umd/react.production.min.js'],
  'react-dom.production.min.js': ['react-dom', 'umd/react-dom.production.min.js'],
  'graphiql.min.js': ['graphiql', 'graphiql.min.js'],
  'graphiql.min.css': ['graphiql', 'graphiql.min.css'],
  'graphql-ws.min.js': ['graphql-ws', 'umd/graphql-ws.min.js'],
};

export interface Playground {
  /** `/` (to the index), `/index.html`, and `/playground/…` (the playground's files). */
  routes: Record<string, RouteHandler>;
  /** The /graphql handler, answering a browser that asks for a page with the playground. */
  around(graphql: RouteHandler): RouteHandler;
}

/** The playground (GraphiQL at GET /graphql from a browser) and the index page, read once at start. */
export function playground(): Playground {
  const assets = new Map<string, Asset>(folderAssets(publicDir('playground'), '/playground'));
  for (const [name, [pkg, file]] of Object.entries(VENDOR)) assets.set(`/playground/vendor/${name}`, packageAsset(pkg, file));
  assets.set('/index.html', assets.get('/playground/index.html')!);
  assets.set('/graphql', assets.get('/playground/playground.html')!);
  const serve = serveAssets(assets, SECURITY_HEADERS);
  const toIndex: RouteHandler = async (req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    res.writeHead(302, { location: '/index.html', 'content-length': 0 }).end();
  };
  return {
    routes: { '/': toIndex, '/index.html': serve, '/playground/': serve },
    around: (graphql) => async (req, res, url) => (wantsPage(req, url) ? serve(req, res, url) : graphql(req, res, url)),
  };
}

/**
 * A browser opening /graphql: a GET that asks for HTML and carries no operation. An API
 * client's GET has `?query=`, and asks for JSON.
 */
function wantsPage(req: IncomingMessage, url: URL): boolean {
  return (req.method === 'GET' || req.method === 'HEAD') && !url.searchParams.has('query') && /\btext\/html\b/.test(req.headers.accept ?? '');
}
