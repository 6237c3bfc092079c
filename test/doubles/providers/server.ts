import { readFileSync } from 'node:fs';
import {
	createServer,
	type IncomingHttpHeaders,
	type IncomingMessage,
	type Server,
	type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { FakeEngine } from './engine.ts';
import type { FakeClip, FakeStudio, FaultKind, FaultSpec, RecordedRequest, RouteClass } from './types.ts';

/**
 * HTTP plumbing shared by the three fakes: a node:http server on 127.0.0.1 that records every
 * request, applies scripted faults, serves the audio fixtures, and hands API routes to the family driver.
 */

export interface DriverRequest {
	method: string;
	/** Path without the mount prefix. */
	path: string;
	query: Record<string, string>;
	headers: IncomingHttpHeaders;
	/** Parsed JSON, or undefined when the body is empty or not JSON. */
	body: unknown;
	raw: string;
	isJson: boolean;
}

export interface Reply {
	status: number;
	body?: unknown;
	/** Sent verbatim instead of JSON. */
	raw?: string;
	headers?: Record<string, string>;
	/** Drop the connection without an answer. */
	destroy?: boolean;
	delayMs?: number;
}

export interface Driver {
	/** Route class and operation name of an API path (prefix already stripped); undefined = unknown route. */
	classify(method: string, path: string): { route: RouteClass; op: string } | undefined;
	authorized(headers: IncomingHttpHeaders): boolean;
	handle(request: DriverRequest): Promise<Reply> | Reply;
	/** The family's own rendering of a fault. */
	fault(kind: FaultKind, route: RouteClass): Reply;
	/** Answer for a path nobody serves. */
	notFound(): Reply;
}

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'audio');
const AUDIO: Record<FakeClip['audio'], Buffer> = {
	'take-1': readFileSync(join(FIXTURES, 'take-1.mp3')),
	'take-2': readFileSync(join(FIXTURES, 'take-2.mp3')),
	broken: readFileSync(join(FIXTURES, 'broken.mp3')),
};
const COVER = readFileSync(join(FIXTURES, 'cover.png'));

interface ActiveFault extends FaultSpec {
	remaining: number;
}

export class FakeServer {
	readonly requests: RecordedRequest[] = [];
	readonly faults: ActiveFault[] = [];
	readonly prefix: string;
	origin = '';
	/** Reported in file URLs instead of `origin` when set (FakeProviderOptions.fileOrigin). */
	fileOrigin: string | undefined;
	driver!: Driver;
	/** Made-up files served instead of the fixtures, when set. */
	studio: FakeStudio | undefined;
	readonly #engine: FakeEngine;
	readonly #server: Server;

	constructor(engine: FakeEngine, prefix: string) {
		this.#engine = engine;
		this.prefix = prefix.replace(/\/+$/, '');
		this.#server = createServer((req, res) => {
			this.#handle(req, res).catch((error: unknown) => {
				if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
				res.end(String(error));
			});
		});
	}

	async listen(host: string, port: number): Promise<void> {
		await new Promise<void>((resolve) => this.#server.listen(port, host, resolve));
		const address = this.#server.address() as AddressInfo;
		this.origin = `http://${host}:${address.port}`;
	}

	async close(): Promise<void> {
		this.#server.closeAllConnections();
		await new Promise<void>((resolve) => this.#server.close(() => resolve()));
	}

	/** Absolute URL of a clip's audio, cover or live stream, as the family reports it. */
	fileUrl(clip: FakeClip, kind: 'mp3' | 'png' | 'stream' | 'wav' | 'mp4'): string {
		const origin = this.fileOrigin ?? this.origin;
		if (kind === 'stream') return `${origin}/stream/${clip.id}`;
		return `${origin}/files/${clip.id}.${kind}`;
	}

	addFault(spec: FaultSpec): void {
		this.faults.push({ ...spec, remaining: spec.times ?? 1 });
	}

	#matches(fault: ActiveFault, record: RecordedRequest, strippedPath: string): boolean {
		if (fault.match && !fault.match(record)) return false;
		const on = fault.on ?? 'any';
		if (on instanceof RegExp) return on.test(record.path);
		if (on === 'any') return record.route !== 'file';
		if (on.startsWith('/')) return on === record.path || on === strippedPath;
		return on === record.route;
	}

	#takeFault(record: RecordedRequest, strippedPath: string): ActiveFault | undefined {
		const fault = this.faults.find((f) => f.remaining > 0 && this.#matches(f, record, strippedPath));
		if (fault) fault.remaining--;
		return fault;
	}

	async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://fake');
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const raw = Buffer.concat(chunks).toString('utf8');
		let body: unknown;
		let isJson = false;
		try {
			body = raw.trim() === '' ? undefined : JSON.parse(raw);
			isJson = body !== undefined;
		} catch {
			body = undefined;
		}
		const method = req.method ?? 'GET';
		const stripped =
			this.prefix && url.pathname.startsWith(this.prefix)
				? url.pathname.slice(this.prefix.length) || '/'
				: url.pathname;
		const isFile = method === 'GET' && /^\/(files|stream|audiopipe)\b/.test(url.pathname);
		const known = isFile ? { route: 'file' as const, op: 'file' } : this.driver.classify(method, stripped);
		const record: RecordedRequest = {
			method,
			path: url.pathname,
			query: Object.fromEntries(url.searchParams),
			headers: req.headers,
			body,
			raw,
			route: known?.route ?? 'other',
			op: known?.op ?? 'unknown',
			at: Date.now(),
		};
		this.requests.push(record);
		const fault = this.#takeFault(record, stripped);
		if (fault) record.fault = fault.kind ?? 'custom';
		// An accepted submit's answer is held back after the task exists (a kill or timeout before it arrives).
		if (fault?.delayMs && !fault.afterAccept) await sleep(fault.delayMs);
		const afterHandling = fault?.afterAccept === true || fault?.kind === 'slow' || fault?.kind === 'truncated';
		if (fault && !afterHandling) return this.#send(res, this.#faultReply(fault, record.route));
		if (isFile) return await this.#serveFile(url, res);
		if (!known) return this.#send(res, this.driver.notFound());
		if (!this.driver.authorized(req.headers)) return this.#send(res, this.driver.fault('auth', record.route));
		const reply = await this.driver.handle({
			method,
			path: stripped,
			query: record.query,
			headers: req.headers,
			body,
			raw,
			isJson,
		});
		if (reply.delayMs) await sleep(reply.delayMs);
		if (fault?.afterAccept) {
			if (fault.delayMs) await sleep(fault.delayMs);
			if (fault.kind === 'slow') return this.#send(res, reply);
			return this.#send(res, fault.kind === 'truncated' ? truncated(reply) : this.#faultReply(fault, record.route));
		}
		if (fault?.kind === 'truncated') return this.#send(res, truncated(reply));
		this.#send(res, reply);
	}

	#faultReply(fault: ActiveFault, route: RouteClass): Reply {
		if (fault.kind === 'truncated')
			throw new Error('a truncated answer needs the real one: use it without afterAccept');
		if (fault.kind && fault.kind !== 'slow') return this.driver.fault(fault.kind, route);
		return {
			status: fault.status ?? 500,
			...(fault.body !== undefined ? { body: fault.body } : {}),
			...(fault.raw !== undefined ? { raw: fault.raw } : {}),
			...(fault.headers ? { headers: fault.headers } : {}),
		};
	}

	#send(res: ServerResponse, reply: Reply): void {
		if (reply.destroy) {
			res.socket?.destroy();
			return;
		}
		const text = reply.raw ?? (reply.body === undefined ? '' : JSON.stringify(reply.body));
		const type = reply.raw !== undefined ? 'text/plain; charset=utf-8' : 'application/json';
		res.writeHead(reply.status, { 'content-type': type, ...reply.headers });
		res.end(text);
	}

	async #serveFile(url: URL, res: ServerResponse): Promise<void> {
		const match = /^\/(?:files\/([\w-]+)\.(mp3|png|wav|mp4)|stream\/([\w-]+))$/.exec(url.pathname);
		const id =
			match?.[1] ?? match?.[3] ?? (url.pathname.startsWith('/audiopipe') ? url.searchParams.get('item_id') : null);
		const clip = id ? this.#findClip(id) : undefined;
		if (!clip) {
			res.writeHead(404, { 'content-type': 'text/plain' });
			res.end('not found');
			return;
		}
		if (match?.[2] === 'png') {
			const cover = (await this.studio?.file?.(clip, 'png')) ?? COVER;
			res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(cover.length) });
			res.end(cover);
			return;
		}
		if (match?.[2] === 'wav' || match?.[2] === 'mp4') {
			// Studio tools' files (family B): a short silent WAV, and a stand-in for a video nobody plays in tests.
			const file = match[2] === 'wav' ? SILENT_WAV : Buffer.from('fake mp4 of a song');
			const type = match[2] === 'wav' ? 'audio/wav' : 'video/mp4';
			res.writeHead(200, { 'content-type': type, 'content-length': String(file.length) });
			res.end(file);
			return;
		}
		const bytes = (await this.studio?.file?.(clip, 'mp3')) ?? AUDIO[clip.audio];
		if (match?.[2] === 'mp3') {
			res.writeHead(200, { 'content-type': 'audio/mpeg', 'content-length': String(bytes.length) });
			res.end(bytes);
			return;
		}
		// A live stream: chunked, without a length, like audiopipe.
		res.writeHead(200, { 'content-type': 'audio/mpeg' });
		const half = Math.floor(bytes.length / 2);
		res.write(bytes.subarray(0, half));
		res.end(bytes.subarray(half));
	}

	#findClip(id: string): FakeClip | undefined {
		for (const task of this.#engine.tasks.values()) {
			const clip = task.clips.find((c) => c.id === id);
			if (clip) return clip;
		}
		return undefined;
	}
}

/** One second of 8 kHz 8-bit mono silence: a real WAV file. */
const SILENT_WAV = (() => {
	const samples = 8000;
	const wav = Buffer.alloc(44 + samples, 0x80);
	wav.write('RIFF', 0);
	wav.writeUInt32LE(36 + samples, 4);
	wav.write('WAVEfmt ', 8);
	wav.writeUInt32LE(16, 16);
	wav.writeUInt16LE(1, 20);
	wav.writeUInt16LE(1, 22);
	wav.writeUInt32LE(8000, 24);
	wav.writeUInt32LE(8000, 28);
	wav.writeUInt16LE(1, 32);
	wav.writeUInt16LE(8, 34);
	wav.write('data', 36);
	wav.writeUInt32LE(samples, 40);
	return wav;
})();

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The real answer cut off halfway, still announced as JSON. */
function truncated(reply: Reply): Reply {
	const text = reply.raw ?? (reply.body === undefined ? '' : JSON.stringify(reply.body));
	return {
		status: reply.status,
		raw: text.slice(0, Math.floor(text.length / 2)),
		headers: { ...reply.headers, 'content-type': 'application/json' },
	};
}
