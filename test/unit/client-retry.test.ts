import assert from 'node:assert/strict';
import { it } from 'node:test';
import { DEFAULT_RETRY_DELAYS_MS, HookgraphError, NetworkError, retryOnNetworkError } from '@hookgraph/client';

/** Fails with `errors` in turn, then answers `ok`; counts its calls. */
function failing(errors: Error[]) {
  let calls = 0;
  return {
    calls: () => calls,
    attempt: async () => {
      const error = errors[calls++];
      if (error) throw error;
      return 'ok';
    },
  };
}

it('retries a NetworkError after each delay in turn, then succeeds', async () => {
  const waits: number[] = [];
  const op = failing([new NetworkError('reset'), new NetworkError('refused')]);
  assert.equal(await retryOnNetworkError(op.attempt, { delaysMs: [10, 20, 40], sleep: async (ms) => void waits.push(ms) }), 'ok');
  assert.deepEqual(waits, [10, 20]);
  assert.equal(op.calls(), 3);
});

it('gives up after the last delay with the last NetworkError', async () => {
  const waits: number[] = [];
  const op = failing([new NetworkError('1'), new NetworkError('2'), new NetworkError('3'), new NetworkError('4')]);
  await assert.rejects(
    retryOnNetworkError(op.attempt, { sleep: async (ms) => void waits.push(ms) }),
    (e: unknown) => e instanceof NetworkError && e.message === '4',
  );
  assert.deepEqual(waits, [...DEFAULT_RETRY_DELAYS_MS]);
});

it('does not retry an error the server answered with', async () => {
  const op = failing([new HookgraphError('bad key', 'UNAUTHENTICATED', 401)]);
  await assert.rejects(retryOnNetworkError(op.attempt, { sleep: async () => assert.fail('no wait') }), HookgraphError);
  assert.equal(op.calls(), 1);
});
