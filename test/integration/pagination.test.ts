import assert from 'node:assert/strict';
import { it } from 'node:test';
import { publish } from '../support/publish';
import { forEachDatabase } from '../support/suite';

const PAGE = `query($first: Int, $after: String, $last: Int, $before: String) {
  events(type: ["page.item"], first: $first, after: $after, last: $last, before: $before) {
    edges { cursor node { id } } nodes { id } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

forEachDatabase('pagination', (ctx) => {
  it('walks every record once, newest first, forwards and backwards', async () => {
    const t = ctx();
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) ids.push((await publish(t, { type: 'page.item', data: { i } })).event.id);
    const newestFirst = [...ids].reverse();

    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const res = await t.gql(PAGE, { first: 10, after });
      const page: {
        nodes: { id: string }[];
        edges: { node: { id: string } }[];
        pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string };
      } = res.data.events;
      assert.deepEqual(
        page.nodes,
        page.edges.map((e: { node: { id: string } }) => e.node),
      );
      seen.push(...page.nodes.map((n: { id: string }) => n.id));
      assert.equal(page.pageInfo.hasPreviousPage, after !== null);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    assert.deepEqual(seen, newestFirst);

    const last = await t.gql(PAGE, { last: 5 });
    assert.deepEqual(
      last.data.events.nodes.map((n: { id: string }) => n.id),
      newestFirst.slice(20),
    );
    assert.equal(last.data.events.pageInfo.hasPreviousPage, true);
    const before = await t.gql(PAGE, { last: 5, before: last.data.events.pageInfo.startCursor });
    assert.deepEqual(
      before.data.events.nodes.map((n: { id: string }) => n.id),
      newestFirst.slice(15, 20),
    );

    const counted = await t.gql(`{ events(type: ["page.item"], first: 3) { totalCount nodes { id } } }`);
    assert.equal(counted.data.events.totalCount, 25);
    assert.equal(counted.data.events.nodes.length, 3);
  });

  it('refuses page sizes outside 1–100 and foreign cursors', async () => {
    const t = ctx();
    for (const variables of [{ first: 0 }, { first: 101 }, { last: -1 }, { first: 2, last: 2 }, { first: 2, after: 'bm90LWEtY3Vyc29y' }]) {
      const res = await t.gql(PAGE, variables);
      assert.equal(res.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', JSON.stringify(variables));
    }
    const max = await t.gql(PAGE, { first: 100 });
    assert.equal(max.errors, undefined);
  });
});
