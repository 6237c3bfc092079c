import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TaskKind, TaskSnapshot } from '../../src/core/provider.ts';
import { createProvider, type Provider, type ProviderOptions } from '../../src/providers/index.ts';
import type { FakeProvider } from '../doubles/providers/index.ts';

/** Backoff that costs no wall time and remembers what it was asked to wait. */
export function instantSleep(): { sleep: (ms: number) => Promise<void>; delays: number[] } {
	const delays: number[] = [];
	return {
		delays,
		sleep: async (ms: number) => {
			delays.push(ms);
		},
	};
}

/** A provider wired to a fake, with instant backoff and short timeouts. */
export function providerFor(
	fake: FakeProvider,
	overrides: Partial<ProviderOptions> = {},
): { provider: Provider; delays: number[] } {
	const { sleep, delays } = instantSleep();
	const provider = createProvider({
		family: fake.family,
		baseUrl: fake.baseUrl,
		apiKey: fake.apiKey,
		fetchTimeoutMs: 2_000,
		submitTimeoutMs: 2_000,
		sleep,
		random: () => 0.5,
		...overrides,
	});
	return { provider, delays };
}

/** Polls until the task is finished (the fakes advance per poll by default). */
export async function pollToEnd(
	provider: Provider,
	taskId: string,
	kind: TaskKind = 'music',
	max = 20,
): Promise<TaskSnapshot[]> {
	const seen: TaskSnapshot[] = [];
	for (let i = 0; i < max; i++) {
		const snapshot = (await provider.fetch([{ taskId, kind }])).get(taskId);
		if (snapshot) seen.push(snapshot);
		if (snapshot?.status === 'succeeded' || snapshot?.status === 'failed') return seen;
	}
	throw new Error(`task ${taskId} did not finish in ${max} polls`);
}

export async function rejectionOf(promise: Promise<unknown>): Promise<Record<string, unknown>> {
	try {
		await promise;
	} catch (error) {
		return error as Record<string, unknown>;
	}
	throw new Error('expected a rejection');
}

/** A tiny server whose answers are scripted per request; records what it received. */
export async function scriptedServer(
	handler: (req: IncomingMessage, res: ServerResponse, body: string, index: number) => void,
): Promise<{ url: string; received: { method: string; url: string; body: string }[]; close(): Promise<void> }> {
	const received: { method: string; url: string; body: string }[] = [];
	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const body = Buffer.concat(chunks).toString('utf8');
			received.push({ method: req.method ?? '', url: req.url ?? '', body });
			handler(req, res, body, received.length - 1);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		received,
		close: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

/** A callback receiver: answers 200 and keeps every JSON body. */
export async function callbackReceiver(): Promise<{ url: string; bodies: unknown[]; close(): Promise<void> }> {
	const bodies: unknown[] = [];
	const server = await scriptedServer((_req, res, body) => {
		bodies.push(JSON.parse(body));
		res.writeHead(200).end('ok');
	});
	return { url: `${server.url}/callback/secret`, bodies, close: server.close };
}
