import fs from 'node:fs';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RouteHandler } from './http-server';

/** A file served as it is, read once at start. */
export interface Asset {
  body: Buffer;
  type: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** The folder src/server/<page>/public, found from dist/ or src/ (tsc does not copy static files to dist). */
export function publicDir(page: string): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i += 1) {
    const candidate = path.join(dir, 'src', 'server', page, 'public');
    if (fs.existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error(`static files not found (src/server/${page}/public)`);
}

/** Every file of `dir` whose type is known, at `${prefix}/${file}`. */
export function folderAssets(dir: string, prefix: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const file of fs.readdirSync(dir)) {
    const type = TYPES[path.extname(file)];
    if (type) assets.set(`${prefix}/${file}`, { body: fs.readFileSync(path.join(dir, file)), type });
  }
  return assets;
}

/**
 * A file of an installed package (`packageAsset('graphiql', 'graphiql.min.js')`), found
 * from the package's folder: the page needs no CDN. Packages' export maps do not list
 * their browser builds, so the folder is found from the package's entry point.
 */
export function packageAsset(name: string, file: string): Asset {
  let dir = path.dirname(require.resolve(name));
  while (!isPackageFolder(dir, name)) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`the folder of package ${name} was not found`);
    dir = parent;
  }
  return { body: fs.readFileSync(path.join(dir, file)), type: TYPES[path.extname(file)] ?? 'application/octet-stream' };
}

function isPackageFolder(dir: string, name: string): boolean {
  const manifest = path.join(dir, 'package.json');
  return fs.existsSync(manifest) && (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name === name;
}

/**
 * The headers of a page served entirely by this server: no CDN, no inline script,
 * sockets only back to this host, framed only by `frameAncestors` (CSP sources).
 */
export function pageHeaders(frameAncestors: readonly string[] = []): Record<string, string> {
  const ancestors = frameAncestors.length ? frameAncestors.join(' ') : "'none'";
  return {
    'content-security-policy': `default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors ${ancestors}`,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-cache',
  };
}

/** graphql-ws's browser client (an ES module and its shared chunk), served from node_modules at `${prefix}/vendor/graphql-ws/`. */
export function graphqlWsClientAssets(prefix: string): Map<string, Asset> {
  const dist = path.dirname(require.resolve('graphql-ws/client'));
  const assets = new Map<string, Asset>();
  for (const file of fs.readdirSync(dist)) {
    if (/^(client|common-[A-Za-z0-9_-]+)\.js$/.test(file)) {
      assets.set(`${prefix}/vendor/graphql-ws/${file}`, { body: fs.readFileSync(path.join(dist, file)), type: TYPES['.js']! });
    }
  }
  return assets;
}

/** Serves `assets` by path, for GET and HEAD, with `headers` (a content security policy, say). */
export function serveAssets(assets: Map<string, Asset>, headers: Record<string, string>): RouteHandler {
  return async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    req.resume();
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-length': 0 }).end();
      return;
    }
    const asset = assets.get(url.pathname);
    if (!asset) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': asset.type, 'content-length': asset.body.length, ...headers });
    res.end(req.method === 'HEAD' ? undefined : asset.body);
  };
}
