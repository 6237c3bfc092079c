import { HTTPError, type Message, RESTEvents, type SendableChannels } from 'discord.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type BareClient, connectBareClient } from './bare-client.ts';
import { type DiscordDouble, startDiscordDouble } from './harness.ts';

const EDIT = 'PATCH /channels/:channel/messages/:message';
let double: DiscordDouble;
let bot: BareClient;
let songs: SendableChannels;

beforeAll(async () => {
	double = await startDiscordDouble();
	bot = await connectBareClient(double);
	const channel = bot.client.channels.cache.get(double.channel('songs').id);
	if (!channel?.isSendable()) throw new Error('no #songs');
	songs = channel;
});

afterEach(() => {
	double.rateLimits.clearFaults();
	double.rateLimits.set(EDIT, { limit: 50, windowMs: 1000 });
});

afterAll(async () => {
	await bot.client.destroy();
	await double.stop();
});

/** Status codes of the edits of one message, in the order the double received them. */
function editStatuses(message: Message): number[] {
	return double.requests.filter((r) => r.route === EDIT && r.path.endsWith(message.id)).map((r) => r.status);
}

describe('rate-limit buckets', () => {
	it('GIVEN one edit per 300 ms WHEN the bot edits four times THEN every edit lands, at most one 429, one per window', async () => {
		double.rateLimits.set(EDIT, { limit: 1, windowMs: 300 });
		const message = await songs.send('progress 0%');
		for (const progress of [25, 50, 75, 100]) await message.edit(`progress ${progress}%`);

		// discord.js learns the bucket hash from the first answer, so its first request on the new bucket may hit a 429.
		const edits = double.requests.filter((r) => r.route === EDIT && r.path.endsWith(message.id));
		const accepted = edits.filter((r) => r.status === 200);
		expect(accepted).toHaveLength(4);
		expect(edits.filter((r) => r.status === 429).length).toBeLessThanOrEqual(1);
		expect((accepted[3]?.at ?? 0) - (accepted[0]?.at ?? 0)).toBeGreaterThanOrEqual(900);
		expect(double.channel('songs').messages.find((m) => m.id === message.id)?.content).toBe('progress 100%');
	});

	it('GIVEN a client that ignores the headers THEN the bucket answers 429 with retry_after', async () => {
		double.rateLimits.set(EDIT, { limit: 1, windowMs: 5000 });
		const message = await songs.send('x');
		const edit = () =>
			fetch(`${double.apiUrl}/v10/channels/${message.channelId}/messages/${message.id}`, {
				method: 'PATCH',
				headers: { authorization: `Bot ${double.token}`, 'content-type': 'application/json' },
				body: JSON.stringify({ content: 'y' }),
			});
		const first = await edit();
		const second = await edit();

		expect(first.headers.get('x-ratelimit-remaining')).toBe('0');
		expect(second.status).toBe(429);
		expect(await second.json()).toMatchObject({ message: 'You are being rate limited.', global: false });
		expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(0);
	});
});

describe('fault injection', () => {
	it('GIVEN one injected 429 THEN discord.js reports the rate limit, waits and the edit succeeds', async () => {
		const limited: unknown[] = [];
		bot.client.rest.on(RESTEvents.RateLimited, (info) => limited.push(info.route));
		const message = await songs.send('before');
		double.rateLimits.rateLimit(EDIT, { times: 1, retryAfterMs: 200 });
		await message.edit('after');

		expect(editStatuses(message)).toEqual([429, 200]);
		expect(limited.length).toBeGreaterThan(0);
		expect(new Set(limited)).toEqual(new Set(['/channels/:id/messages/:id']));
		expect(double.channel('songs').messages.find((m) => m.id === message.id)?.content).toBe('after');
	});

	it('GIVEN three 502s THEN discord.js retries and the fourth attempt succeeds', async () => {
		const message = await songs.send('before');
		double.rateLimits.serverError(EDIT, { times: 3, status: 502 });
		await message.edit('after');

		expect(editStatuses(message)).toEqual([502, 502, 502, 200]);
	});

	it('GIVEN four 502s THEN discord.js gives up with HTTPError 502', async () => {
		const message = await songs.send('before');
		double.rateLimits.serverError(EDIT, { times: 4, status: 502 });
		const error = await message.edit('after').catch((e: unknown) => e);

		expect(error).toBeInstanceOf(HTTPError);
		expect((error as HTTPError).status).toBe(502);
		expect(double.channel('songs').messages.find((m) => m.id === message.id)?.content).toBe('before');
	});

	it('GIVEN latency on a route THEN the answer comes no earlier than the delay', async () => {
		double.rateLimits.latency('GET /channels/:channel/messages/:message', 200);
		const message = await songs.send('slow');
		const started = Date.now();
		await songs.messages.fetch({ message: message.id, force: true });

		expect(Date.now() - started).toBeGreaterThanOrEqual(200);
	});
});
