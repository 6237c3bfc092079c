import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.ts';
import { openStore } from '../../src/store/index.ts';
import type { GuildHandle, MessageView } from '../doubles/discord/index.ts';
import {
	askForSong,
	type BotProcess,
	expectedMarkers,
	type FleetRig,
	postedMarkers,
	sample,
	startFleetRig,
} from './fleet-rig.ts';

/**
 * Two real bot processes as shards 0 and 1 of the Discord double, sharing a real redis-server. Every provider
 * callback is sent to process 0, whichever process's guild the song belongs to.
 */

const log = createLogger({ level: 'silent', secrets: [], pretty: false });
let rig: FleetRig;
let zero: BotProcess;
let one: BotProcess;
let guildZero: GuildHandle;
let guildOne: GuildHandle;

const all = () => rig.double.guilds.flatMap((g) => g.channels.filter((c) => c.name === 'general'));
const general = (guild: GuildHandle) => guild.channel('general');

beforeAll(async () => {
	rig = await startFleetRig({
		guilds: [
			{ name: 'Zero', shard: [0, 2] },
			{ name: 'One', shard: [1, 2] },
			{ name: 'Burst zero', shard: [0, 2] },
			{ name: 'Burst one', shard: [1, 2] },
		],
		users: ['alice', 'bob', 'carol', 'dave', 'erin'],
		env: { USER_DAILY_LIMIT: '2', GUILD_DAILY_LIMIT: '5' },
	});
	[zero, one] = await Promise.all([rig.startBot(0), rig.startBot(1)]);
	[guildZero, guildOne] = rig.double.guilds as [GuildHandle, GuildHandle];
}, 60_000);

afterAll(async () => {
	await rig?.close();
});

describe('two shards in two processes sharing Redis', () => {
	it('GIVEN songs in a guild of each shard and every callback sent to process 0 THEN each guild gets its takes once, through the process of its shard', async () => {
		const alice = rig.double.user('alice');
		const bob = rig.double.user('bob');
		const [first, second] = await Promise.all([
			askForSong(alice, general(guildZero), 'a song for shard zero'),
			askForSong(bob, general(guildOne), 'a song for shard one'),
		]);
		expect(first.ephemeral).toBe(false);
		expect(second.ephemeral).toBe(false);
		await general(guildZero).waitFor((m) => postedMarkers([{ messages: m }]).length === 2, { timeout: 20_000 });
		await general(guildOne).waitFor((m) => postedMarkers([{ messages: m }]).length === 2, { timeout: 20_000 });

		// Slash commands were registered once, by the process that runs shard 0.
		expect(rig.double.requests.filter((r) => r.method === 'PUT' && /\/commands$/.test(r.path))).toHaveLength(1);
		expect(postedMarkers(all())).toEqual(expectedMarkers(rig.fake));
		// Process 0 received shard 1's callbacks and left them for process 1, which applied them.
		expect(await sample(zero, 'songbot_reports_total{source="callback",result="forwarded"}')).toBeGreaterThan(0);
		expect(await sample(one, 'songbot_reports_total{source="callback",result="applied"}')).toBeGreaterThan(0);
		expect(await sample(one, 'songbot_reports_total{source="callback",result="forwarded"}')).toBe(0);
	});

	it('GIVEN a burst of requests in guilds of both shards at once THEN exactly the daily limits are granted and every granted song is delivered once', async () => {
		const burst = rig.double.guilds.slice(2) as GuildHandle[];
		const users = ['alice', 'bob', 'carol'].map((name) => rig.double.user(name));
		const asks = burst.flatMap((guild) =>
			users.flatMap((user) =>
				[1, 2, 3].map(async (n) => ({
					guild: guild.name,
					user: user.name,
					reply: await askForSong(user, general(guild), `burst ${n} by ${user.name} in ${guild.name}`),
				})),
			),
		);
		const answers = await Promise.all(asks);

		for (const guild of burst) {
			const granted = answers.filter((a) => a.guild === guild.name && !a.reply.ephemeral);
			// 9 requests: 2 per person allowed, 5 per server: exactly 5 songs, nobody above 2.
			expect(granted).toHaveLength(5);
			for (const user of users) expect(granted.filter((a) => a.user === user.name).length).toBeLessThanOrEqual(2);
			const refused = answers.filter((a) => a.guild === guild.name && a.reply.ephemeral);
			for (const r of refused) expect(r.reply.text).toMatch(/used all/);
		}
		const channels = burst.map(general);
		await Promise.all(
			channels.map((c) => c.waitFor((m) => postedMarkers([{ messages: m }]).length === 10, { timeout: 30_000 })),
		);
		// Only the granted songs reached the provider (a refusal costs nothing), and each take is posted once.
		expect(rig.fake.requestsOf('generate')).toHaveLength(2 + 10);
		expect(postedMarkers(all())).toEqual(expectedMarkers(rig.fake));
	}, 60_000);

	it('GIVEN process 1 killed with SIGKILL mid-generation THEN process 0 takes its songs over once the leases lapse, and after a restart process 1 serves its guild again; every take once', async () => {
		rig.fake.setTimeline({ type: 'manual' });
		const before = new Set(rig.fake.tasks.keys());
		const replies = await Promise.all([
			askForSong(rig.double.user('carol'), general(guildOne), 'carol sings on shard one'),
			askForSong(rig.double.user('dave'), general(guildOne), 'dave sings on shard one'),
			askForSong(rig.double.user('carol'), general(guildZero), 'carol sings on shard zero'),
		]);
		expect(replies.every((r: MessageView) => !r.ephemeral)).toBe(true);
		const fresh = () => [...rig.fake.tasks.keys()].filter((id) => !before.has(id));
		await expect.poll(() => fresh().length, { timeout: 10_000 }).toBe(3);
		// Killed only once each task is saved: an accepted song is never lost (submit saves before answering).
		const store = await openStore(rig.redis.url, { log });
		await expect
			.poll(async () => (await Promise.all(fresh().map((id) => store.getTask(id)))).every(Boolean))
			.toBe(true);
		await store.close();

		await one.kill();
		for (const id of fresh()) rig.fake.completeTask(id);
		await rig.fake.flushCallbacks();
		// Shard 1's guild has no process now: its takes can only come from process 0 taking the songs over.
		await general(guildOne).waitFor((m) => postedMarkers([{ messages: m }]).length === 2 + 4, { timeout: 20_000 });
		expect(postedMarkers(all())).toEqual(expectedMarkers(rig.fake));

		one = await rig.startBot(1);
		const again = await askForSong(rig.double.user('erin'), general(guildOne), 'erin, after the restart');
		expect(again.ephemeral).toBe(false);
		await expect.poll(() => fresh().length, { timeout: 10_000 }).toBe(4);
		rig.fake.completeTask(fresh()[3] ?? '');
		await general(guildOne).waitFor((m) => postedMarkers([{ messages: m }]).length === 2 + 4 + 2, {
			timeout: 20_000,
		});
		expect(postedMarkers(all())).toEqual(expectedMarkers(rig.fake));
		// The restarted process posted both takes of the song asked for in its guild.
		await expect.poll(() => sample(one, 'songbot_deliveries_total')).toBe(2);
	}, 60_000);
});
