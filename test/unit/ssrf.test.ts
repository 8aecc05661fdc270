import assert from 'node:assert/strict';
import type { LookupAddress } from 'node:dns';
import { describe, it } from 'node:test';
import { Agent, request } from 'undici';
import { createAddressPolicy } from '../../src/dispatch/ssrf/address-policy';
import { BlockedAddressError } from '../../src/dispatch/ssrf/blocked-address-error';
import { checkUrlHost, guardedLookup, type Lookup } from '../../src/dispatch/ssrf/guarded-lookup';
import { Receiver } from '../support/receiver';

const production = createAddressPolicy({ profile: 'production' });
const development = createAddressPolicy({ profile: 'development' });

/** Internal addresses of every kind the guard refuses, and neighbours, as the lookup would see them. */
const BLOCKED_ADDRESSES = [
  '127.0.0.1',
  '127.255.255.254',
  '0.0.0.0',
  '::1',
  '::',
  '::ffff:127.0.0.1',
  '::ffff:7f00:1',
  '169.254.169.254',
  '10.0.0.1',
  '10.255.255.255',
  '172.16.0.1',
  '172.31.255.255',
  '192.168.1.1',
  '100.64.0.1',
  '100.127.255.255',
  'fc00::1',
  'fd12:3456::1',
  'fe80::1',
  'febf::1',
  '64:ff9b::a9fe:a9fe',
  '64:ff9b::7f00:1',
  '64:ff9b::a00:1',
  '::ffff:10.0.0.1',
  '::ffff:169.254.169.254',
  '224.0.0.1',
  'ff02::1',
  '255.255.255.255',
  '240.0.0.1',
  '192.0.2.1',
  '2001:db8::1',
  '2002:7f00:1::',
  '2002:a9fe:a9fe::1',
  '2001:0:4136:e378:8000:63bf:80ff:fffe',
];
const PUBLIC_ADDRESSES = ['8.8.8.8', '1.1.1.1', '93.184.216.34', '2606:4700:4700::1111', '64:ff9b::808:808', '::ffff:8.8.8.8', '172.32.0.1', '100.128.0.1'];

/** Internal addresses as URLs spell them; WHATWG URL normalises the numeric ones before we see them. */
const BLOCKED_URLS = [
  'http://127.0.0.1/',
  'http://127.1/',
  'http://0.0.0.0/',
  'http://0/',
  'http://[::1]/',
  'http://[::ffff:127.0.0.1]/',
  'http://169.254.169.254/latest/meta-data/',
  'http://10.1.2.3/',
  'http://172.16.5.4/',
  'http://192.168.0.10/',
  'http://100.64.1.1/',
  'http://[fc00::1]/',
  'http://[fe80::1]/',
  'http://[64:ff9b::a9fe:a9fe]/',
  'http://2130706433/',
  'http://0177.0.0.1/',
  'http://0x7f.1/',
  'http://0x7f000001/',
  'https://017700000001/',
];

describe('SSRF address policy', () => {
  it('refuses every internal address in production', () => {
    for (const ip of BLOCKED_ADDRESSES) {
      const verdict = production.check(ip);
      assert.equal(verdict.ok, false, ip);
      if (!verdict.ok) assert.match(verdict.reason, /refused in the production profile/);
    }
  });

  it('admits public unicast, including NAT64 and IPv4-mapped forms of public addresses', () => {
    for (const ip of PUBLIC_ADDRESSES) assert.deepEqual(production.check(ip), { ok: true }, ip);
  });

  it('admits loopback in development only, and nothing else internal', () => {
    for (const ip of ['127.0.0.1', '127.0.0.53', '::1', '::ffff:127.0.0.1']) assert.deepEqual(development.check(ip), { ok: true }, ip);
    for (const ip of ['10.0.0.1', '169.254.169.254', 'fc00::1', '0.0.0.0', '64:ff9b::a9fe:a9fe']) assert.equal(development.check(ip).ok, false, ip);
  });

  it('admits what HOOKGRAPH_ALLOW_NETWORKS lists, also through the IPv4-mapped form', () => {
    const policy = createAddressPolicy({ profile: 'production', allowNetworks: ['10.20.0.0/16', 'fd00:1::/32', '127.0.0.1/32'] });
    for (const ip of ['10.20.3.4', '::ffff:10.20.3.4', 'fd00:1::5', '127.0.0.1']) assert.deepEqual(policy.check(ip), { ok: true }, ip);
    for (const ip of ['10.21.0.1', 'fd00:2::5', '127.0.0.2']) assert.equal(policy.check(ip).ok, false, ip);
  });

  it('judges a URL host only when it is an IP literal, the same way each time it is asked', () => {
    for (let i = 0; i < 2; i++) {
      assert.equal(production.checkHost('hooks.example.com'), null, 'a name is left to the lookup');
      assert.deepEqual(production.checkHost('93.184.216.34'), { ok: true });
      assert.equal(production.checkHost('127.0.0.1')?.ok, false);
      assert.deepEqual(development.checkHost('127.0.0.1'), { ok: true });
      assert.equal(production.checkHost('::ffff:169.254.169.254')?.ok, false);
    }
  });

  it('says what the address is, naming the IPv4 inside an IPv6 form', () => {
    const verdict = production.check('64:ff9b::a9fe:a9fe');
    assert.equal(verdict.ok, false);
    if (!verdict.ok) assert.match(verdict.reason, /169\.254\.169\.254.*link-local/);
  });
});

describe('checkUrlHost', () => {
  it('normalises numeric spellings to dotted form (WHATWG URL)', () => {
    for (const u of ['http://2130706433/', 'http://0177.0.0.1/', 'http://127.1/', 'http://0x7f.1/']) assert.equal(new URL(u).hostname, '127.0.0.1', u);
  });

  it('refuses literal internal hosts in any spelling in production', () => {
    for (const u of BLOCKED_URLS) assert.throws(() => checkUrlHost(new URL(u), production), BlockedAddressError, u);
  });

  it('refuses non-http(s) schemes in every profile', () => {
    for (const u of ['ftp://example.com/', 'file:///etc/passwd', 'gopher://example.com/', 'ws://example.com/', 'data:text/plain,hi']) {
      assert.throws(() => checkUrlHost(new URL(u), development), BlockedAddressError, u);
    }
  });

  it('lets host names through (the lookup checks them) and public literals', () => {
    checkUrlHost(new URL('https://example.com/hook'), production);
    checkUrlHost(new URL('http://8.8.8.8/'), production);
    checkUrlHost(new URL('http://[2606:4700:4700::1111]/'), production);
    checkUrlHost(new URL('http://127.0.0.1:8080/'), development);
  });
});

function lookupOnce(lookup: Lookup, host: string, all: boolean): Promise<string | LookupAddress[]> {
  return new Promise((resolve, reject) => {
    lookup(host, { all }, (err, address) => (err ? reject(err) : resolve(address)));
  });
}

describe('guardedLookup', () => {
  it('refuses localhost in production and returns it in development', async () => {
    await assert.rejects(lookupOnce(guardedLookup(production), 'localhost', false), BlockedAddressError);
    await assert.rejects(lookupOnce(guardedLookup(production), 'localhost', true), BlockedAddressError);
    const addr = await lookupOnce(guardedLookup(development), 'localhost', false);
    assert.ok(addr === '127.0.0.1' || addr === '::1', String(addr));
  });

  it('refuses a name if any of its addresses is internal (no coin toss between records)', async () => {
    const twoFaced: Parameters<typeof guardedLookup>[1] = ((_host: string, _opts: unknown, cb: (e: null, a: LookupAddress[]) => void) =>
      cb(null, [
        { address: '93.184.216.34', family: 4 },
        { address: '10.0.0.5', family: 4 },
      ])) as never;
    await assert.rejects(lookupOnce(guardedLookup(production, twoFaced), 'rebind.example', true), /10\.0\.0\.5/);
    const clean: Parameters<typeof guardedLookup>[1] = ((_host: string, _opts: unknown, cb: (e: null, a: LookupAddress[]) => void) =>
      cb(null, [
        { address: '93.184.216.34', family: 4 },
        { address: '2606:2800:220:1::1', family: 6 },
      ])) as never;
    assert.deepEqual(await lookupOnce(guardedLookup(production, clean), 'ok.example', true), [
      { address: '93.184.216.34', family: 4 },
      { address: '2606:2800:220:1::1', family: 6 },
    ]);
    assert.equal(await lookupOnce(guardedLookup(production, clean), 'ok.example', false), '93.184.216.34');
  });

  it('opens no socket to a blocked address through an undici Agent', async () => {
    const receiver = await Receiver.start();
    const { port } = receiver;
    const blocked = new Agent({ connect: { lookup: guardedLookup(production) } });
    const allowed = new Agent({ connect: { lookup: guardedLookup(development) } });
    try {
      const err = await request(`http://localhost:${port}/`, { dispatcher: blocked }).then(
        () => null,
        (e: unknown) => e,
      );
      assert.ok(err instanceof Error, 'the request must fail');
      let found: unknown = err;
      for (let i = 0; i < 5 && found && !(found instanceof BlockedAddressError); i++) found = (found as { cause?: unknown }).cause;
      assert.ok(found instanceof BlockedAddressError, `expected a BlockedAddressError, got ${String(err)}`);
      assert.equal(receiver.connections, 0, 'no connection reached the server');

      const ok = await request(`http://localhost:${port}/`, { dispatcher: allowed });
      await ok.body.dump();
      assert.equal(ok.statusCode, 200);
      assert.equal(receiver.connections, 1);
      assert.equal(receiver.requests.length, 1);
    } finally {
      await blocked.close();
      await allowed.close();
      await receiver.stop();
    }
  });
});
