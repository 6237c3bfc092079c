import { setTimeout as sleep } from 'node:timers/promises';
import { type MessageView, startDiscordDouble } from '../test/doubles/discord/index.ts';
import { startFakeProvider } from '../test/doubles/providers/index.ts';
import { isTake } from '../test/e2e/song-steps.ts';
import { commandsRegisteredAt, spawnBot } from './lib/bot.ts';
import type { ScenarioResult } from './lib/report-types.ts';
import { sig } from './lib/stats.ts';
import { until } from './lib/traffic.ts';

/**
 * Scenario 3: the whole bot (`node src/index.ts`, shipped defaults) and `songs` /song generations in one channel of
 * the Discord double (its default per-route rate limits, real X-RateLimit headers), all moving through their stages
 * together and finishing at the same instant at the fake provider. Counted at the double: 429 answers, message
 * edits per generation, and the time from the provider finishing to the last take appearing in the channel
 * (message creation time from its snowflake). There is no baseline: the issue sets absolute targets.
 */

export interface BurstOptions {
	songs: number;
	/** Time between the stages all tasks move through together (queued, lyrics, streaming, first take, done). */
	stageMs: number;
	/** /song forms submitted at once by the driver. */
	concurrency: number;
}

const DISCORD_EPOCH = 1_420_070_400_000n;
const createdAt = (m: MessageView) => Number((BigInt(m.id) >> 22n) + DISCORD_EPOCH);

async function pool(count: number, concurrency: number, run: (i: number) => Promise<void>): Promise<void> {
	let next = 0;
	const lane = async () => {
		while (next < count) await run(next++);
	};
	await Promise.all(Array.from({ length: concurrency }, lane));
}

export async function discordBurst(options: BurstOptions): Promise<ScenarioResult> {
	const double = await startDiscordDouble({ waitTimeoutMs: 60_000 });
	const fake = await startFakeProvider({ family: 'newapi', timeline: { type: 'manual' }, credits: 1e9 });
	const bot = spawnBot(double, fake);
	try {
		await commandsRegisteredAt(double, bot);
		const from = double.requests.length;
		const alice = double.user('alice');
		await pool(options.songs, options.concurrency, async (i) => {
			const slash = await alice.runSlash('song', { mode: 'describe' });
			const modal = await slash.modal();
			await (await modal.submit({ description: `a burst song number ${i}`, title: `Burst ${i}` })).reply();
		});
		if (!(await until(() => fake.tasks.size >= options.songs, 30_000)))
			throw new Error(`only ${fake.tasks.size} tasks reached the provider`);
		for (let stage = 0; stage < 5; stage++) {
			await sleep(options.stageMs);
			fake.advance();
		}
		const finishedAt = Math.max(...[...fake.tasks.values()].map((t) => t.finishedAt ?? Number.NaN));
		const channel = double.channel('general');
		const messages = await channel.waitFor((all) => all.filter((m) => isTake(m)).length >= 2 * options.songs, {
			timeout: 180_000,
		});
		// The final tracker edits follow the takes; give them time to land before counting.
		await sleep(3_000);
		const requests = double.requests.slice(from);
		const byRoute: Record<string, number> = {};
		for (const r of requests)
			byRoute[`${r.route ?? r.path} ${r.status}`] = (byRoute[`${r.route ?? r.path} ${r.status}`] ?? 0) + 1;
		const edits = requests.filter((r) => r.method === 'PATCH').length;
		const tooMany = requests.filter((r) => r.status === 429).length;
		const takeDelays = messages.filter((m) => isTake(m)).map((m) => createdAt(m) - finishedAt);
		const lastMs = Math.max(...takeDelays);
		const scenario = `Discord burst, ${options.songs} songs finishing together in one channel (whole bot)`;
		const raw = {
			options,
			finishedAt,
			edits,
			tooMany,
			lastMs,
			takeDelaysMs: takeDelays,
			byRoute,
			requests: requests.length,
		};
		return {
			name: 'discord-burst',
			rows: [
				{
					scenario,
					metric: '429 answers from Discord',
					unit: '429s',
					ours: tooMany,
					baseline: null,
					better: 'lower',
					target: { text: 'zero', met: tooMany === 0 },
				},
				{
					scenario,
					metric: 'message edits per generation',
					unit: 'edits',
					ours: sig(edits / options.songs),
					baseline: null,
					better: 'lower',
				},
				{
					scenario,
					metric: 'provider finished → last take in the channel',
					unit: 's',
					ours: sig(lastMs / 1000),
					baseline: null,
					better: 'lower',
				},
			],
			notes: [
				`Discord burst: ${requests.length} REST requests after start-up; stages every ${options.stageMs / 1000} s, the bot polling with the shipped POLL_FAST_MS; ` +
					`the last take appeared ${(lastMs / 1000).toFixed(1)} s after the provider finished (first takes are posted as soon as they are ready, before their song finishes).`,
				`Discord burst requests by route and status: ${Object.entries(byRoute)
					.map(([k, v]) => `${k}: ${v}`)
					.join('; ')}.`,
			],
			raw,
		};
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		throw new Error(`${message}\n--- bot output ---\n${bot.output()}`, { cause: error });
	} finally {
		await bot.stop();
		await fake.close();
		await double.stop();
	}
}
