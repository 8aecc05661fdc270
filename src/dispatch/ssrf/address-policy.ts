import ipaddr from 'ipaddr.js';
import type { Profile } from '../../config';
import { Memo } from '../../domain/common/memo';

export type AddressVerdict = { ok: true } | { ok: false; reason: string };

/** Decides whether an outbound request may connect to one IP address. */
export interface AddressPolicy {
  readonly profile: Profile;
  check(ip: string): AddressVerdict;
  /**
   * A URL's host (brackets removed): the verdict when it is an IP literal, null when it is
   * a name (judged by the lookup). Remembered per host: every delivery asks again.
   */
  checkHost(host: string): AddressVerdict | null;
}

/** Hosts whose verdict checkHost remembers; past this, it starts over. */
const REMEMBERED_HOSTS = 1000;

export interface AddressPolicyOptions {
  profile: Profile;
  /** CIDRs admitted despite the rules below (HOOKGRAPH_ALLOW_NETWORKS). */
  allowNetworks?: readonly string[];
}

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** Why each refused range is refused, as a receiver-facing phrase. */
const RANGE_WORDS: Record<string, string> = {
  unspecified: 'an unspecified address',
  broadcast: 'a broadcast address',
  multicast: 'a multicast address',
  linkLocal: 'a link-local address (cloud metadata lives here)',
  loopback: 'a loopback address',
  carrierGradeNat: 'a carrier-grade NAT address',
  private: 'a private address',
  uniqueLocal: 'a unique-local address',
  reserved: 'a reserved address',
};

/**
 * The SSRF decision: a destination must not reach this host's network or the cloud's
 * metadata service. Only globally routable unicast passes; everything else
 * (loopback, private, link-local, CGNAT, unique-local, multicast, unspecified, broadcast,
 * reserved, documentation, benchmarking, …) is refused. IPv6 forms that carry an IPv4
 * address (IPv4-mapped, SIIT, NAT64 64:ff9b::/96, 6to4, Teredo) are unwrapped and judged
 * by the IPv4 address inside, so `::ffff:127.0.0.1` is loopback and `64:ff9b::a9fe:a9fe`
 * is 169.254.169.254. The development profile also admits loopback; allowNetworks admit
 * whatever they contain (matched against both the address and its unwrapped IPv4).
 */
export function createAddressPolicy(options: AddressPolicyOptions): AddressPolicy {
  const { profile, allowNetworks = [] } = options;
  const allowed = allowNetworks.map((cidr) => ipaddr.parseCIDR(cidr));
  const admits = (addr: Address) => allowed.some(([net, bits]) => net.kind() === addr.kind() && addr.match(net, bits));

  const hosts = new Memo<string, AddressVerdict | null>(REMEMBERED_HOSTS, (host) => (ipaddr.isValid(host) ? policy.check(host) : null));
  const policy: AddressPolicy = {
    profile,
    checkHost: (host) => hosts.get(host),
    check(ip: string): AddressVerdict {
      if (!ipaddr.isValid(ip)) return { ok: false, reason: `"${ip}" is not an IP address` };
      const addr = ipaddr.parse(ip);
      const inner = addr.kind() === 'ipv6' ? embeddedIPv4(addr as ipaddr.IPv6) : null;
      if (admits(addr) || (inner && admits(inner))) return { ok: true };
      const judged = inner ?? addr;
      const range = judged.range();
      if (range === 'unicast') return { ok: true };
      if (range === 'loopback' && profile === 'development') return { ok: true };
      const what = RANGE_WORDS[range] ?? `a special-purpose address (${range})`;
      const subject = inner ? `${ip} carries ${inner.toString()}, which` : ip;
      return { ok: false, reason: `${subject} is ${what}: refused in the ${profile} profile unless HOOKGRAPH_ALLOW_NETWORKS admits it` };
    },
  };
  return policy;
}

/** The IPv4 address an IPv6 transition form carries, or null. */
export function embeddedIPv4(addr: ipaddr.IPv6): ipaddr.IPv4 | null {
  const p = addr.parts;
  const v4 = (hi: number, lo: number) => new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
  const zeros = (from: number, to: number) => p.slice(from, to).every((x) => x === 0);
  // ::ffff:a.b.c.d (mapped) and ::ffff:0:a.b.c.d (SIIT, RFC 6145)
  if (zeros(0, 5) && p[5] === 0xffff) return v4(p[6]!, p[7]!);
  if (zeros(0, 4) && p[4] === 0xffff && p[5] === 0) return v4(p[6]!, p[7]!);
  // ::a.b.c.d (deprecated IPv4-compatible; :: and ::1 are judged as IPv6)
  if (zeros(0, 6) && (p[6] !== 0 || p[7]! > 1)) return v4(p[6]!, p[7]!);
  // 64:ff9b::/96 (NAT64 well-known prefix, RFC 6052)
  if (p[0] === 0x64 && p[1] === 0xff9b && zeros(2, 6)) return v4(p[6]!, p[7]!);
  // 2002:AABB:CCDD::/16 (6to4)
  if (p[0] === 0x2002) return v4(p[1]!, p[2]!);
  // 2001:0::/32 (Teredo): the client address, inverted, in the last 32 bits
  if (p[0] === 0x2001 && p[1] === 0) return v4(~p[6]! & 0xffff, ~p[7]! & 0xffff);
  return null;
}
