import type { IncomingMessage, ServerResponse } from 'node:http';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttp, type Server } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAudioCache } from '../../src/audio/download.ts';
import { createGuardedAgent } from '../../src/audio/guard.ts';
import { AudioRefusedError } from '../../src/core/audio-refused.ts';

const fixtures = join(import.meta.dirname, '..', 'fixtures');
const take = readFileSync(join(fixtures, 'audio', 'take-1.mp3'));
const cert = readFileSync(join(fixtures, 'tls', 'cert.pem'));
const key = readFileSync(join(fixtures, 'tls', 'key.pem'));
const dispatcher = new Agent({ connect: { ca: cert } });
const dir = mkdtempSync(join(tmpdir(), 'songbot-audio-'));
const hits: string[] = [];
let secure: Server;
let plain: Server;
let httpsBase: string;
let httpBase: string;

/** Serves the fixture take, plus routes for size, status and redirect cases. */
function handler(req: IncomingMessage, res: ServerResponse): void {
	hits.push(req.url ?? '');
	const url = req.url ?? '';
	if (url.startsWith('/take')) {
		res.writeHead(200, { 'content-type': 'audio/mpeg', 'content-length': take.length });
		res.end(take);
	} else if (url === '/page') {
		res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
		res.end('<!doctype html><title>Link expired</title>');
	} else if (url === '/html-as-mp3') {
		// A provider that answers an expired link with a page but keeps the audio content type.
		res.writeHead(200, { 'content-type': 'audio/mpeg' });
		res.end('<!doctype html><title>Link expired</title><p>Sorry</p>');
	} else if (url === '/chunked-big') {
		res.writeHead(200, { 'content-type': 'audio/mpeg' });
		for (let i = 0; i < 8; i++) res.write(take);
		res.end();
	} else if (url === '/to-plain') {
		res.writeHead(302, { location: `${httpBase}/take-via-redirect.mp3` });
		res.end();
	} else if (url === '/to-secure') {
		res.writeHead(301, { location: '/take-after-redirect.mp3' });
		res.end();
	} else {
		res.writeHead(404);
		res.end('gone');
	}
}

async function listen(server: Server, scheme: string): Promise<string> {
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
	secure = createHttps({ cert, key }, handler);
	plain = createHttp(handler);
	httpsBase = await listen(secure, 'https');
	httpBase = await listen(plain, 'http');
});
afterAll(async () => {
	await Promise.all([secure, plain].map((s) => new Promise((resolve) => s.close(resolve))));
	await dispatcher.close();
	rmSync(dir, { recursive: true, force: true });
});

const cache = (overrides: { maxBytes?: number; allowHttp?: boolean; sub?: string } = {}) =>
	createAudioCache({
		dir: join(dir, overrides.sub ?? 'cache'),
		maxBytes: overrides.maxBytes ?? 1_000_000,
		allowHttp: overrides.allowHttp ?? false,
		dispatcher,
	});

/** Files left in a task folder (a failed download must leave neither the file nor a .part). */
const filesOf = (sub: string, task: string) =>
	existsSync(join(dir, sub, task)) ? readdirSync(join(dir, sub, task)) : [];

describe('audio cache', () => {
	it('GIVEN a finished take over https THEN it is saved once, byte for byte, and later requests reuse it', async () => {
		const audio = cache({ sub: 'once' });
		const before = hits.length;
		const [a, b] = await Promise.all([
			audio.ensure('task-1', 'clip-1', `${httpsBase}/take-1.mp3?token=abc`),
			audio.ensure('task-1', 'clip-1', `${httpsBase}/take-1.mp3?token=abc`),
		]);
		const again = await audio.ensure('task-1', 'clip-1', `${httpsBase}/take-1.mp3?token=abc`);
		expect(a).toEqual({ path: join(dir, 'once', 'task-1', 'clip-1.mp3'), bytes: take.length });
		expect(b).toEqual(a);
		expect(again).toEqual(a);
		expect(readFileSync(a.path).equals(take)).toBe(true);
		expect(hits.length - before).toBe(1);
	});

	it('GIVEN plain http THEN it is refused unless allowed', async () => {
		await expect(cache({ sub: 'http' }).ensure('t', 'c', `${httpBase}/take-1.mp3`)).rejects.toMatchObject({
			problem: 'protocol',
		});
		expect(filesOf('http', 't')).toEqual([]);
		const allowed = await cache({ sub: 'http', allowHttp: true }).ensure('t', 'c', `${httpBase}/take-1.mp3`);
		expect(allowed.bytes).toBe(take.length);
	});

	it('GIVEN an https URL that redirects to plain http THEN it is refused; https redirects are followed', async () => {
		await expect(cache({ sub: 'redir' }).ensure('t', 'c1', `${httpsBase}/to-plain`)).rejects.toMatchObject({
			problem: 'protocol',
		});
		const followed = await cache({ sub: 'redir' }).ensure('t', 'c2', `${httpsBase}/to-secure`);
		expect(readFileSync(followed.path).equals(take)).toBe(true);
		expect(filesOf('redir', 't')).toEqual(['c2.mp3']);
	});

	it('GIVEN audio over the size cap (declared or streamed) THEN it is refused and nothing is left on disk', async () => {
		const small = cache({ sub: 'cap', maxBytes: 50_000 });
		await expect(small.ensure('t', 'declared', `${httpsBase}/take-1.mp3`)).rejects.toMatchObject({
			problem: 'too_large',
		});
		await expect(small.ensure('t', 'streamed', `${httpsBase}/chunked-big`)).rejects.toMatchObject({
			problem: 'too_large',
		});
		expect(filesOf('cap', 't')).toEqual([]);
	});

	it('GIVEN an expired provider URL (404) THEN the download fails with the status', async () => {
		await expect(cache({ sub: 'gone' }).ensure('t', 'c', `${httpsBase}/expired.mp3`)).rejects.toMatchObject({
			problem: 'http',
			message: 'audio download answered HTTP 404',
		});
	});

	it('GIVEN a pruned task THEN its audio folder is removed; odd ids cannot escape the cache folder', async () => {
		const audio = cache({ sub: 'prune' });
		const saved = await audio.ensure('../../evil', 'a/b', `${httpsBase}/take-2.m4a`);
		expect(saved.path).toBe(join(dir, 'prune', '______evil', 'a_b.m4a'));
		await audio.remove('../../evil');
		expect(existsSync(saved.path)).toBe(false);
	});
});

describe('audio cache: what provider URLs may reach', () => {
	const strict = createGuardedAgent({ allowPrivate: false, ca: cert });
	afterAll(() => strict.close());
	const guarded = (sub: string) =>
		createAudioCache({ dir: join(dir, sub), maxBytes: 1_000_000, allowHttp: true, dispatcher: strict });

	it('GIVEN URLs at loopback, a name resolving to loopback, the metadata address and a mapped IPv6 loopback THEN each is refused before any request and nothing is saved', async () => {
		const port = new URL(httpsBase).port;
		const before = hits.length;
		for (const url of [
			`${httpsBase}/take-1.mp3`,
			`https://localhost:${port}/take-1.mp3`,
			`http://169.254.169.254/latest/meta-data/iam/security-credentials/`,
			`https://[::ffff:127.0.0.1]:${port}/take-1.mp3`,
			`https://[::1]:${port}/take-1.mp3`,
		]) {
			const error = await guarded('ssrf')
				.ensure('t', 'c', url)
				.catch((e: unknown) => e);
			expect(error, url).toBeInstanceOf(AudioRefusedError);
			expect(error).toMatchObject({ problem: 'blocked' });
			// The refusal never repeats the URL (it may carry a signed token).
			expect((error as Error).message).not.toContain('127.0.0.1');
		}
		expect(hits.length).toBe(before);
		expect(filesOf('ssrf', 't')).toEqual([]);
	});

	it('GIVEN AUDIO_ALLOW_PRIVATE THEN the same loopback URL is downloaded', async () => {
		const open = createGuardedAgent({ allowPrivate: true, ca: cert });
		const audio = createAudioCache({ dir: join(dir, 'open'), maxBytes: 1_000_000, allowHttp: false, dispatcher: open });
		expect((await audio.ensure('t', 'c', `${httpsBase}/take-1.mp3`)).bytes).toBe(take.length);
		await open.close();
	});
});

describe('audio cache: only audio is kept', () => {
	it('GIVEN a download declared as HTML THEN it is refused as not audio and nothing is left', async () => {
		const error = await cache({ sub: 'html' })
			.ensure('t', 'c', `${httpsBase}/page`)
			.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(AudioRefusedError);
		expect(error).toMatchObject({ problem: 'not_audio' });
		expect(filesOf('html', 't')).toEqual([]);
	});

	it('GIVEN HTML served as audio/mpeg THEN its first bytes give it away and nothing is left', async () => {
		const error = await cache({ sub: 'sniff' })
			.ensure('t', 'c', `${httpsBase}/html-as-mp3`)
			.catch((e: unknown) => e);
		expect(error).toMatchObject({ problem: 'not_audio' });
		expect(filesOf('sniff', 't')).toEqual([]);
	});
});

describe('audio cache: size budget', () => {
	it('GIVEN more takes than AUDIO_CACHE_MB holds THEN the least recently used file is deleted first and comes back on demand', async () => {
		const budgeted = createAudioCache({
			dir: join(dir, 'budget'),
			maxBytes: 1_000_000,
			budgetBytes: Math.floor(take.length * 2.5),
			allowHttp: false,
			dispatcher,
		});
		const a = await budgeted.ensure('task-a', 'c', `${httpsBase}/take-a.mp3`);
		const b = await budgeted.ensure('task-b', 'c', `${httpsBase}/take-b.mp3`);
		// Using A again makes B the least recently used.
		await budgeted.ensure('task-a', 'c', `${httpsBase}/take-a.mp3`);
		const c = await budgeted.ensure('task-c', 'c', `${httpsBase}/take-c.mp3`);
		expect(existsSync(a.path)).toBe(true);
		expect(existsSync(b.path)).toBe(false);
		expect(existsSync(join(dir, 'budget', 'task-b'))).toBe(false);
		expect(existsSync(c.path)).toBe(true);
		expect(budgeted.budget.bytes).toBeLessThanOrEqual(take.length * 2.5);

		const before = hits.length;
		const again = await budgeted.ensure('task-b', 'c', `${httpsBase}/take-b.mp3`);
		expect(readFileSync(again.path).equals(take)).toBe(true);
		expect(hits.length - before).toBe(1);
		// Now A is the oldest use.
		expect(existsSync(a.path)).toBe(false);
	});

	it('GIVEN files an earlier run left THEN they count against the budget after a restart', async () => {
		const sub = join(dir, 'restart');
		const first = createAudioCache({ dir: sub, maxBytes: 1_000_000, allowHttp: false, dispatcher });
		const old = await first.ensure('old', 'c', `${httpsBase}/take-old.mp3`);
		const later = createAudioCache({
			dir: sub,
			maxBytes: 1_000_000,
			budgetBytes: Math.floor(take.length * 1.5),
			allowHttp: false,
			dispatcher,
		});
		const fresh = await later.ensure('new', 'c', `${httpsBase}/take-new.mp3`);
		expect(existsSync(fresh.path)).toBe(true);
		expect(existsSync(old.path)).toBe(false);
	});
});
