import type { RouteHandler } from '../http-server';
import { folderAssets, graphqlWsClientAssets, pageHeaders, publicDir, serveAssets } from '../static-files';

/**
 * `/portal` and its files, read once at start: a tenant's own view, opened with a portal
 * token in the URL's fragment. Only `frameAncestors` (HOOKGRAPH_PORTAL_FRAME_ANCESTORS)
 * may embed it in a frame.
 */
export function portalRoutes(frameAncestors: readonly string[]): Record<string, RouteHandler> {
  const assets = new Map([...graphqlWsClientAssets('/portal'), ...folderAssets(publicDir('portal'), '/portal')]);
  const index = assets.get('/portal/index.html')!;
  assets.set('/portal', index);
  assets.set('/portal/', index);
  const serve = serveAssets(assets, pageHeaders(frameAncestors));
  return { '/portal': serve, '/portal/': serve };
}
