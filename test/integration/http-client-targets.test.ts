import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HttpClient } from '../../src/dispatch/http-client';
import type { OutboundRequest } from '../../src/dispatch/request/outbound-request';
import { BlockedAddressError } from '../../src/dispatch/ssrf/blocked-address-error';
import { createAddressPolicy } from '../../src/dispatch/ssrf/address-policy';
import { Receiver } from '../support/receiver';

const post = (url: string): OutboundRequest => ({ method: 'POST', url, headers: [], body: '{}', bodyRecipe: null, signatureBaseString: '' });

describe('HttpClient: each URL parsed and checked once', () => {
  let receiver: Receiver;
  before(async () => {
    receiver = await Receiver.start();
  });
  after(() => receiver.stop());

  it('refuses a blocked URL every time it is asked, and nothing reaches the receiver', async () => {
    receiver.reset();
    const http = new HttpClient({ policy: createAddressPolicy({ profile: 'production', allowNetworks: [] }) });
    try {
      for (let i = 0; i < 3; i++) {
        const exchange = await http.send(post(`${receiver.url}/blocked`), 2000);
        assert.equal(exchange.kind, 'FAILURE', `send ${i + 1} was not refused`);
        assert.ok(exchange.kind === 'FAILURE' && exchange.error instanceof BlockedAddressError);
      }
      assert.equal(receiver.requests.length, 0);
    } finally {
      await http.close();
    }
  });

  it('sends each URL to its own path and query, the same URL again and again', async () => {
    receiver.reset();
    const http = new HttpClient({ policy: createAddressPolicy({ profile: 'development', allowNetworks: [] }) });
    try {
      const urls = ['/a', '/a', '/a?x=1', '/b/c?y=2&z=3', '/a'];
      for (const path of urls) {
        const exchange = await http.send(post(`${receiver.url}${path}`), 2000);
        assert.equal(exchange.kind, 'RESPONSE');
      }
      assert.deepEqual(
        receiver.requests.map((r) => r.url),
        urls,
      );
    } finally {
      await http.close();
    }
  });
});
