import { BlockList, isIP } from 'node:net';

/**
 * Which network an IP address belongs to, so URLs a provider hands us cannot make the bot reach inside the
 * network it runs in (a cloud metadata service, a database on loopback, the router's admin page).
 */
export type AddressKind = 'public' | 'loopback' | 'private' | 'link-local' | 'metadata' | 'reserved';

const ranges: [AddressKind, string, number, 'ipv4' | 'ipv6'][] = [
	// Cloud metadata endpoints first: they sit inside the ranges below and deserve their own name in logs.
	['metadata', '169.254.169.254', 32, 'ipv4'],
	['metadata', '169.254.170.2', 32, 'ipv4'],
	['metadata', '100.100.100.200', 32, 'ipv4'],
	['metadata', 'fd00:ec2::254', 128, 'ipv6'],
	['loopback', '127.0.0.0', 8, 'ipv4'],
	['loopback', '::1', 128, 'ipv6'],
	['private', '10.0.0.0', 8, 'ipv4'],
	['private', '172.16.0.0', 12, 'ipv4'],
	['private', '192.168.0.0', 16, 'ipv4'],
	// Carrier-grade NAT: not reachable from the internet either.
	['private', '100.64.0.0', 10, 'ipv4'],
	['private', 'fc00::', 7, 'ipv6'],
	['link-local', '169.254.0.0', 16, 'ipv4'],
	['link-local', 'fe80::', 10, 'ipv6'],
	['reserved', '0.0.0.0', 8, 'ipv4'],
	['reserved', '192.0.0.0', 24, 'ipv4'],
	['reserved', '198.18.0.0', 15, 'ipv4'],
	['reserved', '224.0.0.0', 4, 'ipv4'],
	['reserved', '240.0.0.0', 4, 'ipv4'],
	// Unspecified and IPv4-compatible (::a.b.c.d), 6to4 and Teredo: they can wrap any IPv4 address.
	['reserved', '::', 96, 'ipv6'],
	['reserved', '2002::', 16, 'ipv6'],
	['reserved', '2001::', 32, 'ipv6'],
	['reserved', 'ff00::', 8, 'ipv6'],
];

const lists = new Map<AddressKind, BlockList>();
for (const [kind, network, prefix, type] of ranges) {
	let list = lists.get(kind);
	if (!list) {
		list = new BlockList();
		lists.set(kind, list);
	}
	list.addSubnet(network, prefix, type);
}

/** The IPv4 address an IPv6 address carries (mapped `::ffff:a.b.c.d`, NAT64 `64:ff9b::/96`), if any. */
function embeddedIpv4(address: string): string | undefined {
	const lower = address.toLowerCase();
	const match = /^(?:::ffff:|64:ff9b::)(?:0{1,4}:)?(.+)$/.exec(lower);
	if (!match?.[1]) return undefined;
	const tail = match[1];
	if (isIP(tail) === 4) return tail;
	// The same address written in hex: ::ffff:7f00:1
	const hex = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(tail);
	if (!hex?.[1] || !hex[2]) return undefined;
	const high = Number.parseInt(hex[1], 16);
	const low = Number.parseInt(hex[2], 16);
	return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

/** Classifies an IP literal; anything that is not a valid address counts as reserved (never connected to). */
export function classifyAddress(address: string): AddressKind {
	const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
	const family = isIP(bare);
	if (family === 0) return 'reserved';
	const v4 = family === 6 ? embeddedIpv4(bare) : bare;
	const [text, type] = v4 ? [v4, 'ipv4' as const] : [bare, 'ipv6' as const];
	for (const [kind, list] of lists) if (list.check(text, type)) return kind;
	return 'public';
}

/** True for addresses a provider URL may lead to. */
export function isPublicAddress(address: string): boolean {
	return classifyAddress(address) === 'public';
}
