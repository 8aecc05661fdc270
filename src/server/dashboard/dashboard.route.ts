import fs from 'node:fs';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RouteHandler } from '../http-server';

interface Asset {
  body: Buffer;
  type: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

// Everything from this server: no CDN, no inline script, sockets only back to this host.
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

/** The static files live in src/server/dashboard/public (tsc does not copy them to dist). */
function publicDir(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i += 1) {
    const candidate = path.join(dir, 'src', 'server', 'dashboard', 'public');
    if (fs.existsSync(path.join(candidate, 'index.html'))) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error('dashboard assets not found (src/server/dashboard/public)');
}

/** graphql-ws's browser client (an ES module and its shared chunk), served from node_modules. */
function vendorAssets(): Map<string, Asset> {
  const dist = path.dirname(require.resolve('graphql-ws/client'));
  const assets = new Map<string, Asset>();
  for (const file of fs.readdirSync(dist)) {
    if (/^(client|common-[A-Za-z0-9_-]+)\.js$/.test(file)) {
      assets.set(`/dashboard/vendor/graphql-ws/${file}`, { body: fs.readFileSync(path.join(dist, file)), type: TYPES['.js'] });
    }
  }
  return assets;
}

function loadAssets(): Map<string, Asset> {
  const dir = publicDir();
  const assets = vendorAssets();
  for (const file of fs.readdirSync(dir)) {
    const type = TYPES[path.extname(file)];
    if (type) assets.set(`/dashboard/${file}`, { body: fs.readFileSync(path.join(dir, file)), type });
  }
  const index = assets.get('/dashboard/index.html')!;
  assets.set('/dashboard', index);
  assets.set('/dashboard/', index);
  return assets;
}

/** `/dashboard` and its files, read once at start. */
export function dashboardRoutes(): Record<string, RouteHandler> {
  const assets = loadAssets();
  const serve: RouteHandler = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    req.resume();
    const asset = assets.get(url.pathname);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-length': 0 }).end();
      return;
    }
    if (!asset) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': asset.type, 'content-length': asset.body.length, ...SECURITY_HEADERS });
    res.end(req.method === 'HEAD' ? undefined : asset.body);
  };
  return { '/dashboard': serve, '/dashboard/': serve };
}
