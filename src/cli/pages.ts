import type { Page } from '@hookgraph/client';

interface Connection<T> {
  nodes: T[];
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}

/** The first `limit` nodes, page after page (100 a page, the API's most). */
export async function collect<T>(list: (page: Page) => Promise<Connection<T>>, limit: number): Promise<T[]> {
  const nodes: T[] = [];
  let after: string | undefined;
  while (nodes.length < limit) {
    const page = await list({ first: Math.min(100, limit - nodes.length), after });
    nodes.push(...page.nodes);
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) break;
    after = page.pageInfo.endCursor;
  }
  return nodes;
}
