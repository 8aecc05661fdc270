import assert from 'node:assert/strict';

/**
 * Fetches `files` of a page served at `baseUrl` and every module they import, in turn:
 * each must be served (200) and load nothing from the internet. Returns the paths seen.
 */
export async function crawlPage(baseUrl: string, files: string[]): Promise<Set<string>> {
  const queue = [...files];
  const seen = new Set<string>();
  while (queue.length) {
    const path = queue.shift()!;
    if (seen.has(path)) continue;
    seen.add(path);
    const res = await fetch(`${baseUrl}${path}`);
    assert.equal(res.status, 200, path);
    const text = await res.text();
    assert.doesNotMatch(text.replace(/\/\/ .*$/gm, ''), /(src|href)=["']https?:|from ['"]https?:|url\(https?:/i, `${path} loads something remote`);
    // Follow the module graph: every import must be served too.
    for (const match of text.matchAll(/from\s*['"](\.{0,2}\/[^'"]+)['"]/g)) queue.push(new URL(match[1]!, `http://x${path}`).pathname);
  }
  return seen;
}
