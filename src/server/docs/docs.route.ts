import fs from 'node:fs';
import path from 'node:path';
import { marked } from 'marked';
import type { RouteHandler } from '../http-server';
import { serveAssets, type Asset } from '../static-files';

/** The documents are the repository's own Markdown: no scripts run on these pages. */
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

const STYLE = `body{font-family:system-ui,sans-serif;max-width:56rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1f2430}
pre,code{font-family:ui-monospace,monospace;font-size:.9em}pre{background:#f4f5f7;padding:.8rem;overflow:auto}
table{border-collapse:collapse}td,th{border:1px solid #d0d4da;padding:.2rem .5rem;vertical-align:top}nav{margin-bottom:1rem}`;

/** The package's folder (where package.json and README.md are), from dist/ or src/. */
function packageRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i += 1) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'README.md'))) return dir;
    dir = path.dirname(dir);
  }
  throw new Error('README.md not found');
}

function page(title: string, markdown: string): Asset {
  const body = marked.parse(markdown, { async: false });
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title><style>${STYLE}</style></head>
<body><nav><a href="/">hookgraph</a> · <a href="/docs">README</a> · <a href="/graphql">playground</a></nav>${body}</body></html>`;
  return { body: Buffer.from(html), type: 'text/html; charset=utf-8' };
}

/** `/docs`: the README, and `/docs/<name>` each document of docs/, rendered once at start. */
export function docsRoutes(): Record<string, RouteHandler> {
  const root = packageRoot();
  const assets = new Map<string, Asset>([['/docs', page('hookgraph', fs.readFileSync(path.join(root, 'README.md'), 'utf8'))]]);
  const docs = path.join(root, 'docs');
  if (fs.existsSync(docs)) {
    for (const file of fs.readdirSync(docs).filter((f) => f.endsWith('.md'))) {
      assets.set(`/docs/${file.slice(0, -3)}`, page(`hookgraph: ${file.slice(0, -3)}`, fs.readFileSync(path.join(docs, file), 'utf8')));
    }
  }
  const serve = serveAssets(assets, SECURITY_HEADERS);
  return { '/docs': serve, '/docs/': serve };
}
