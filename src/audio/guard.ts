import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP, type Socket } from 'node:net';
import { Agent, buildConnector } from 'undici';
import { classifyAddress } from './address.ts';

/**
 * An undici Agent for URLs that come from the provider (audio, live streams, cover art): it refuses to connect to
 * loopback, private, link-local and metadata addresses. The check is made in the connection step, on the addresses
 * DNS returned for this very connection and again on the socket's peer address, so a name that resolves to a
 * public address once and to 127.0.0.1 the next time (DNS rebinding) is refused too.
 */

/** A connection the guard refused; `message` names the kind of address and never the URL (it may carry tokens). */
export class BlockedAddressError extends Error {
	readonly code = 'SONGBOT_BLOCKED_ADDRESS';
	readonly kind: string;
	constructor(kind: string) {
		super(`refusing to connect to a ${kind} address`);
		this.name = 'BlockedAddressError';
		this.kind = kind;
	}
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** dns.lookup that fails when any returned address is not public (one bad answer spoils the set). */
function guardedLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
	dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
		if (error) return callback(error, []);
		const bad = addresses.map((a) => classifyAddress(a.address)).find((kind) => kind !== 'public');
		if (bad) return callback(new BlockedAddressError(bad), []);
		if (options.all) return callback(null, addresses);
		const first = addresses[0];
		if (!first) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), []);
		callback(null, first.address, first.family);
	});
}

export interface GuardOptions {
	/** AUDIO_ALLOW_PRIVATE: local test setups serve audio from 127.0.0.1. */
	allowPrivate: boolean;
	/** Certificates to trust besides the system's (tests serve https with their own). */
	ca?: string | Buffer;
}

/** The dispatcher every download of a provider URL goes through. */
export function createGuardedAgent(options: GuardOptions): Agent {
	const tls = options.ca ? { ca: options.ca } : {};
	if (options.allowPrivate) return new Agent({ connect: tls });
	const connector = buildConnector({ ...tls, lookup: guardedLookup } as buildConnector.BuildOptions);
	return new Agent({
		connect(opts, callback) {
			// An IP literal is connected to without a lookup: check it here.
			const host = opts.hostname.replace(/^\[|\]$/g, '');
			if (isIP(host) !== 0) {
				const kind = classifyAddress(host);
				if (kind !== 'public') return callback(new BlockedAddressError(kind), null);
			}
			connector(opts, (error, socket) => {
				if (error || !socket) return callback(error ?? new Error('no socket'), null);
				verifyPeer(socket, callback);
			});
		},
	});
}

/** The address actually connected to, checked once the socket is connected (before any byte of the request). */
function verifyPeer(socket: Socket, callback: buildConnector.Callback): void {
	const check = () => {
		const peer = socket.remoteAddress;
		const kind = peer ? classifyAddress(peer) : 'reserved';
		if (kind === 'public') return callback(null, socket);
		socket.destroy();
		callback(new BlockedAddressError(kind), null);
	};
	// undici hands the socket over once connected (TLS: after the handshake); be safe if it is still connecting.
	if (socket.remoteAddress !== undefined) check();
	else socket.once('connect', check);
}

/** True when `error`, or the error it wraps, is a refusal by the guard. */
export function isBlocked(error: unknown): error is BlockedAddressError {
	for (let e = error, depth = 0; e && depth < 5; depth++) {
		if (e instanceof BlockedAddressError) return true;
		e = (e as { cause?: unknown }).cause;
	}
	return false;
}
