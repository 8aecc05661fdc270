import dns from 'node:dns';
import type { LookupAddress, LookupOptions } from 'node:dns';
import type { AddressPolicy } from './address-policy';
import { BlockedAddressError } from './blocked-address-error';

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** The shape `net.connect({ lookup })` (and so undici's `connect.lookup`) calls. */
export type Lookup = (hostname: string, options: LookupOptions, callback: LookupCallback) => void;

/**
 * A `dns.lookup` for outbound connections: resolves every address of the host, refuses
 * the host if ANY of them is blocked (a name that answers both a public and an internal
 * address must not be a coin toss), and hands the socket only addresses it has checked.
 * net connects to exactly what this returns and never resolves again, so the checked
 * address is the connected one (no DNS rebinding between check and connect).
 */
export function guardedLookup(policy: AddressPolicy, resolve: typeof dns.lookup = dns.lookup): Lookup {
  return (hostname, options, callback) => {
    const family = typeof options === 'object' && options ? options.family : undefined;
    resolve(hostname, { all: true, family: family ?? 0, hints: options?.hints }, (err, addresses) => {
      if (err) return callback(err, '');
      const list = addresses as LookupAddress[];
      if (list.length === 0) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '');
      for (const { address } of list) {
        const verdict = policy.check(address);
        if (!verdict.ok) {
          return callback(new BlockedAddressError(`${hostname} resolves to ${verdict.reason}`, address), '');
        }
      }
      if (options?.all) return callback(null, list);
      const first = list[0]!;
      callback(null, first.address, first.family);
    });
  };
}

/**
 * Checks what the lookup never sees: the scheme, and hosts written as IP literals (net
 * skips the lookup for them). WHATWG URL parsing has already normalised numeric
 * spellings (2130706433, 0177.0.0.1, 127.1, 0x7f.1 → 127.0.0.1; [::ffff:7f00:1] →
 * [::ffff:7f00:1]), so the policy sees the real address. Throws BlockedAddressError.
 */
export function checkUrlHost(url: URL, policy: AddressPolicy): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new BlockedAddressError(`scheme ${url.protocol} is not allowed: only http and https`, url.hostname || null);
  }
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const verdict = policy.checkHost(host);
  if (verdict && !verdict.ok) throw new BlockedAddressError(verdict.reason, host);
}
