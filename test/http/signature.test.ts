import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { TaskSnapshot } from '../../src/core/provider.ts';
import { callbackUrl, createHttpServer, createMetrics, type HttpServer } from '../../src/http/index.ts';
import { createLogger } from '../../src/log.ts';
import { type FakeProvider, startFakeProvider } from '../doubles/providers/index.ts';
import { providerFor } from '../providers/helpers.ts';

/** kie.ai's signed callbacks, verified when SUNO_WEBHOOK_KEY is set (issue 14). */

const KEY = 'kie-webhook-key-0123';
const SECRET = 'cb-secret-0123456789abcdef';
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
	for (const item of open.splice(0)) await item.close();
});

async function bot(fake: FakeProvider, webhookKey: string | undefined) {
	const reported: TaskSnapshot[] = [];
	const { provider } = providerFor(fake, { variant: 'kie' });
	const http: HttpServer = createHttpServer({
		secret: SECRET,
		provider,
		report: async (snapshot) => {
			reported.push(snapshot);
			return 'applied' as const;
		},
		isHealthy: () => true,
		metrics: createMetrics({ defaults: false }),
		log: createLogger({ level: 'silent', secrets: [], pretty: false }),
		webhookKey,
	});
	open.push(http);
	const url = callbackUrl(await http.listen(0, '127.0.0.1'), SECRET, 'sunoapi');
	return { provider, reported, url };
}

async function kie(webhookKey?: string): Promise<FakeProvider> {
	const fake = await startFakeProvider({ family: 'sunoapi', mode: 'kie', ...(webhookKey ? { webhookKey } : {}) });
	open.push(fake);
	return fake;
}

describe('signed callbacks', () => {
	it('GIVEN kie signing with the configured key THEN every stage is accepted and reported', async () => {
		const fake = await kie(KEY);
		const { provider, reported, url } = await bot(fake, KEY);
		const { taskId } = await provider.generate(
			{ mode: 'describe', description: 'x', model: 'v5' },
			{ callbackUrl: url },
		);
		fake.completeTask(taskId);
		await fake.flushCallbacks();
		expect(fake.callbacks.map((c) => c.status)).toEqual([200, 200, 200]);
		expect(reported.map((s) => s.status)).toEqual(['running', 'partial', 'succeeded']);
	});

	it('GIVEN a key set but callbacks unsigned or signed with another key THEN refused with 401 and nothing reported', async () => {
		for (const signer of [undefined, 'another-key-98765']) {
			const fake = await kie(signer);
			const { provider, reported, url } = await bot(fake, KEY);
			const { taskId } = await provider.generate(
				{ mode: 'describe', description: 'x', model: 'v5' },
				{ callbackUrl: url },
			);
			fake.completeTask(taskId);
			await fake.flushCallbacks();
			expect(fake.callbacks.map((c) => c.status)).toEqual([401, 401, 401]);
			expect(reported).toEqual([]);
		}
	});

	it('GIVEN a correctly signed but stale callback THEN refused; GIVEN no key configured THEN unsigned ones are accepted', async () => {
		const fake = await kie();
		const signed = await bot(fake, KEY);
		const taskId = 'f'.repeat(32);
		const body = { code: 200, msg: 'ok', data: { callbackType: 'text', task_id: taskId, data: [] } };
		const old = String(Math.floor(Date.now() / 1000) - 3_600);
		const signature = createHmac('sha256', KEY).update(`${taskId}.${old}`).digest('base64');
		const post = (url: string, headers: Record<string, string>) =>
			fetch(url, {
				method: 'POST',
				headers: { 'content-type': 'application/json', ...headers },
				body: JSON.stringify(body),
			});
		const stale = await post(signed.url, { 'x-webhook-timestamp': old, 'x-webhook-signature': signature });
		expect(stale.status).toBe(401);
		expect(signed.reported).toEqual([]);
		const unsignedBot = await bot(fake, undefined);
		expect((await post(unsignedBot.url, {})).status).toBe(200);
		expect(unsignedBot.reported).toHaveLength(1);
	});
});
