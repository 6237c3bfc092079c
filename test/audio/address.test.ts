import { describe, expect, it } from 'vitest';
import { classifyAddress, isPublicAddress } from '../../src/audio/address.ts';

describe('address classifier', () => {
	it.each([
		['127.0.0.1', 'loopback'],
		['127.255.0.9', 'loopback'],
		['10.1.2.3', 'private'],
		['172.16.0.1', 'private'],
		['172.31.255.255', 'private'],
		['192.168.1.10', 'private'],
		['100.64.0.1', 'private'],
		['169.254.169.254', 'metadata'],
		['169.254.170.2', 'metadata'],
		['100.100.100.200', 'metadata'],
		['169.254.10.20', 'link-local'],
		['0.0.0.0', 'reserved'],
		['224.0.0.1', 'reserved'],
		['255.255.255.255', 'reserved'],
	])('GIVEN the IPv4 address %s THEN it is %s', (address, kind) => {
		expect(classifyAddress(address)).toBe(kind);
		expect(isPublicAddress(address)).toBe(false);
	});

	it.each([
		['::1', 'loopback'],
		['[::1]', 'loopback'],
		['::', 'reserved'],
		['fc00::1', 'private'],
		['fd12:3456::1', 'private'],
		['fe80::1', 'link-local'],
		['fe80::1%eth0', 'link-local'],
		['fd00:ec2::254', 'metadata'],
		['ff02::1', 'reserved'],
		['2002:7f00:1::', 'reserved'],
	])('GIVEN the IPv6 address %s THEN it is %s', (address, kind) => {
		expect(classifyAddress(address)).toBe(kind);
	});

	it.each([
		['::ffff:127.0.0.1', 'loopback'],
		['::ffff:7f00:1', 'loopback'],
		['::FFFF:10.0.0.1', 'private'],
		['::ffff:169.254.169.254', 'metadata'],
		['::ffff:a9fe:a9fe', 'metadata'],
		['64:ff9b::192.168.0.1', 'private'],
		['::127.0.0.1', 'reserved'],
	])('GIVEN the IPv4 address wrapped in IPv6 %s THEN it is %s like the address it carries', (address, kind) => {
		expect(classifyAddress(address)).toBe(kind);
	});

	it.each([
		'1.1.1.1',
		'8.8.8.8',
		'172.32.0.1',
		'192.169.0.1',
		'162.159.128.233',
		'2606:4700::6810:84e5',
		'::ffff:8.8.8.8',
	])('GIVEN the public address %s THEN it is public', (address) => {
		expect(classifyAddress(address)).toBe('public');
		expect(isPublicAddress(address)).toBe(true);
	});

	it('GIVEN something that is not an IP address THEN it is never treated as public', () => {
		expect(classifyAddress('localhost')).toBe('reserved');
		expect(classifyAddress('')).toBe('reserved');
		expect(classifyAddress('999.1.1.1')).toBe('reserved');
	});
});
