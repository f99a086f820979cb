/**
 * Which hosts `web_fetch` may reach. A model that can fetch any URL can be
 * talked (by a page it read) into fetching the cloud metadata service
 * (169.254.169.254), a router's admin page or a service on localhost. So by
 * default every address a host resolves to must be public: loopback,
 * link-local, private, carrier-grade NAT, multicast and reserved ranges are
 * refused, including the IPv4-mapped and NAT64 IPv6 forms of them. The URL
 * parser has already turned decimal, hex and octal IPv4 spellings
 * (`http://2130706433/`, `http://0x7f.1/`) into dotted form. Redirects are
 * checked hop by hop. `web.allow_private: true` in the creature (or the
 * tool option `allow_private`) lifts the rule.
 *
 * Known gap: the check resolves the name, and fetch resolves it again; a DNS
 * server that answers differently the second time (rebinding) is not caught.
 */
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { ToolError } from '../../engine/errors.js';

let blockList: BlockList | undefined;

/** The ranges refused by default, made on first use (web_fetch is not in every run). */
function blocked(): BlockList {
  if (blockList) return blockList;
  blockList = new BlockList();
  for (const [network, prefix] of [
    ['0.0.0.0', 8],
    ['10.0.0.0', 8],
    ['100.64.0.0', 10],
    ['127.0.0.0', 8],
    ['169.254.0.0', 16],
    ['172.16.0.0', 12],
    ['192.0.0.0', 24],
    ['192.168.0.0', 16],
    ['198.18.0.0', 15],
    ['224.0.0.0', 4],
    ['240.0.0.0', 4],
  ] as const) {
    blockList.addSubnet(network, prefix, 'ipv4');
  }
  for (const [network, prefix] of [
    ['::', 128],
    ['::1', 128],
    ['fc00::', 7],
    ['fe80::', 10],
    ['fec0::', 10],
    ['ff00::', 8],
  ] as const) {
    blockList.addSubnet(network, prefix, 'ipv6');
  }
  return blockList;
}

/** The IPv4 address inside an IPv4-mapped (`::ffff:a.b.c.d`), compatible or NAT64 (`64:ff9b::`) IPv6 address. */
function embeddedIPv4(address: string): string | undefined {
  const lower = address.toLowerCase();
  const match = /^(?:::ffff:|::ffff:0:|64:ff9b::|::)([0-9a-f.:]+)$/.exec(lower);
  if (!match) return undefined;
  const tail = match[1] as string;
  if (isIP(tail) === 4) return tail;
  const groups = tail.split(':');
  if (groups.length !== 2 || !groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return undefined;
  const [high, low] = groups.map((g) => parseInt(g, 16)) as [number, number];
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

/** True for an address web_fetch must not reach by default. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked().check(address, 'ipv4');
  if (family !== 6) return true; // not an address at all: refuse rather than guess
  const inner = embeddedIPv4(address);
  if (inner !== undefined) return blocked().check(inner, 'ipv4');
  return blocked().check(address, 'ipv6');
}

/** Throw a ToolError unless every address `url`'s host resolves to is public. */
export async function assertPublicHost(url: URL, tool: string): Promise<void> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [host] : (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);
  const refused = addresses.find(isPrivateAddress);
  if (refused === undefined) return;
  const via = refused === host ? '' : ` (${url.hostname} resolves to ${refused})`;
  throw new ToolError(
    `refused to fetch ${url.href}: ${refused === host ? refused : url.hostname}${via} is a loopback, link-local or private address. ` +
      `Such addresses are off limits unless the creature sets web.allow_private: true.`,
    { tool },
  );
}
