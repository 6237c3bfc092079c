import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/core/errors.ts';
import { callbackUrl } from '../../src/http/index.ts';
import { Secrets } from '../../src/log.ts';
import { createProvider } from '../../src/providers/index.ts';
import { withoutSecrets } from '../../src/providers/without-secrets.ts';
import { type FakeProvider, startFakeProvider } from '../doubles/providers/index.ts';

/** What members would read when a provider echoes the callback URL (and its secret) in its own words. */
describe('provider text shown to members', () => {
	const secret = 'cb-secret-7f3a9c1e5b2d4806';
	// Nothing listens there: the fake's callbacks fail, which is fine, their bodies are what we parse.
	const url = callbackUrl('http://127.0.0.1:9', secret, 'sunoapi');
	let fake: FakeProvider;
	beforeAll(async () => {
		fake = await startFakeProvider({ family: 'sunoapi', timeline: { type: 'manual' } });
	});
	afterAll(async () => {
		await fake.close();
	});

	function provider() {
		const bare = createProvider({
			family: 'sunoapi',
			baseUrl: fake.baseUrl,
			apiKey: fake.apiKey,
			retry: { reads: 0, submits: 0 },
		});
		// As in app.ts: the secret becomes known after the provider is built.
		const secrets = new Secrets();
		const wrapped = withoutSecrets(bare, secrets);
		secrets.add(secret);
		return wrapped;
	}

	it('GIVEN a submit refused with the callback URL in the reason THEN the refusal members see has no secret', async () => {
		fake.inject({
			on: 'submit',
			status: 200,
			body: { code: 400, msg: `callBackUrl ${url} is not a valid address`, data: null },
		});
		const error = await provider()
			.generate({ mode: 'describe', description: 'tea', model: 'v5' }, { callbackUrl: url })
			.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(ProviderError);
		const { userMessage, detail, message } = error as ProviderError;
		expect(userMessage).toMatch(/did not accept this request: callBackUrl .*\/callbacks\/\[REDACTED\]/);
		for (const text of [userMessage, detail, message]) expect(text).not.toContain(secret);
	});

	it('GIVEN a task that fails with the callback URL in its reason THEN neither the poll nor the callback shows the secret', async () => {
		const p = provider();
		const { taskId } = await p.generate({ mode: 'describe', description: 'tea', model: 'v5' }, { callbackUrl: url });
		// Cut off in the middle of the secret, as providers shorten long reasons.
		const reason = `callback to ${url.slice(0, -14)}`;
		expect(reason).toContain(secret.slice(0, 10));
		// A failure without a documented code or status: the provider's own words are what members read.
		fake.failTask(taskId, { reason, code: 599, status: 'UPSTREAM_ERROR' });
		await fake.flushCallbacks();

		const polled = (await p.fetch([{ taskId, kind: 'music' }])).get(taskId);
		expect(polled?.status).toBe('failed');
		expect(polled?.failureReason).toMatch(/^callback to http:\/\/127\.0\.0\.1:9\/callbacks\/\[REDACTED\]$/);

		const sent = fake.callbacks.filter((c) => c.taskId === taskId).at(-1);
		const [update] = p.parseCallback(sent?.body);
		expect(update?.snapshot.status).toBe('failed');
		expect(update?.snapshot.failureReason).toContain('/callbacks/[REDACTED]');
		for (const text of [polled?.failureReason, update?.snapshot.failureReason, JSON.stringify(polled)]) {
			expect(text).not.toContain(secret.slice(0, 10));
		}
	});
});
