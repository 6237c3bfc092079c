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
