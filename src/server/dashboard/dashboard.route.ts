import fs from 'node:fs';
import path from 'node:path';
import type { RouteHandler } from '../http-server';
import { folderAssets, publicDir, serveAssets, type Asset } from '../static-files';

// Everything from this server: no CDN, no inline script, sockets only back to this host.
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

/** graphql-ws's browser client (an ES module and its shared chunk), served from node_modules. */
function vendorAssets(): Map<string, Asset> {
  const dist = path.dirname(require.resolve('graphql-ws/client'));
  const assets = new Map<string, Asset>();
  for (const file of fs.readdirSync(dist)) {
    if (/^(client|common-[A-Za-z0-9_-]+)\.js$/.test(file)) {
      assets.set(`/dashboard/vendor/graphql-ws/${file}`, { body: fs.readFileSync(path.join(dist, file)), type: 'text/javascript; charset=utf-8' });
    }
  }
  return assets;
}

/** `/dashboard` and its files, read once at start. */
export function dashboardRoutes(): Record<string, RouteHandler> {
  const assets = new Map([...vendorAssets(), ...folderAssets(publicDir('dashboard'), '/dashboard')]);
  const index = assets.get('/dashboard/index.html')!;
  assets.set('/dashboard', index);
  assets.set('/dashboard/', index);
  const serve = serveAssets(assets, SECURITY_HEADERS);
  return { '/dashboard': serve, '/dashboard/': serve };
}
