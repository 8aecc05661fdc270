import type { RouteHandler } from '../http-server';
import { folderAssets, graphqlWsClientAssets, pageHeaders, publicDir, serveAssets } from '../static-files';

/** `/dashboard` and its files, read once at start. */
export function dashboardRoutes(): Record<string, RouteHandler> {
  const assets = new Map([...graphqlWsClientAssets('/dashboard'), ...folderAssets(publicDir('dashboard'), '/dashboard')]);
  const index = assets.get('/dashboard/index.html')!;
  assets.set('/dashboard', index);
  assets.set('/dashboard/', index);
  const serve = serveAssets(assets, pageHeaders());
  return { '/dashboard': serve, '/dashboard/': serve };
}
