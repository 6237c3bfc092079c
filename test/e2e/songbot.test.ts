import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Rig, startRig } from './rig.ts';
import { askForSong, waitForTakes } from './song-steps.ts';

describe('/songbot settings end to end', () => {
	let rig: Rig;
	beforeAll(async () => {
		rig = await startRig({ env: { USER_DAILY_LIMIT: '1', GUILD_DAILY_LIMIT: '20', COOLDOWN_SEC: '0' } });
	});
	afterAll(async () => {
		await rig?.close();
	});

	it('GIVEN the command is registered THEN only members with Manage Server are offered it', async () => {
		const definition = rig.double.commands.find((c) => c.name === 'songbot');
		expect(definition?.default_member_permissions).toBe('32');
		await expect(rig.double.user('alice').runSlash('songbot show')).rejects.toThrow(/may not use \/songbot/);
	});

	it('GIVEN an admin WHEN they show the settings THEN the limits in force and what is left today are listed', async () => {
		const reply = await (await rig.double.user('server-owner').runSlash('songbot show')).reply();
		expect(reply.ephemeral).toBe(true);
		expect(reply.text).toContain('Songs per person per day: 1 · *bot default*');
		expect(reply.text).toContain('Songs per server per day: 20 · *bot default*');
		expect(reply.text).toContain('Cooldown: none');
		expect(reply.text).toMatch(/Left today: Server: \d+ of 20 · You: 1 of 1/);
	});

	it('GIVEN alice used her one song WHEN an admin raises the limit THEN her next /song goes through, and reset brings the default back', async () => {
		const channel = rig.double.channel('general');
		const alice = rig.double.user('alice');
		const owner = rig.double.user('server-owner');
		await waitForTakes(channel, (await (await askForSong(alice, 'first song of the day')).reply()).id);
		const refused = await (await askForSong(alice, 'second song of the day')).reply();
		expect(refused.text).toContain('You have used all 1 of your songs');

		const saved = await (await owner.runSlash('songbot set', { per_user: 3 })).reply();
		expect(saved.ephemeral).toBe(true);
		expect(saved.text).toContain('Saved');
		expect(saved.text).toContain('Songs per person per day: 3 · *set for this server*');
		expect(saved.text).toContain('Songs per server per day: 20 · *bot default*');

		const allowed = await (await askForSong(alice, 'second song of the day')).reply();
		expect(allowed.ephemeral).toBe(false);
		expect(allowed.text).toContain('1 left for you today');
		await waitForTakes(channel, allowed.id);

		const reset = await (await owner.runSlash('songbot reset')).reply();
		expect(reset.text).toContain('Songs per person per day: 1 · *bot default*');
		expect(reset.text).toContain('Left today: Server: 18 of 20');
		const again = await (await askForSong(alice, 'third song of the day')).reply();
		expect(again.ephemeral).toBe(true);
		expect(again.text).toContain('You have used all 1 of your songs');
	});

	it('GIVEN a per-person limit above the server limit THEN the change is refused with the reason and nothing changes', async () => {
		const owner = rig.double.user('server-owner');
		const refused = await (await owner.runSlash('songbot set', { per_user: 50, per_server: 10 })).reply();
		expect(refused.ephemeral).toBe(true);
		expect(refused.text).toContain('The limit per person (50) would be higher than the server’s (10)');
		const empty = await (await owner.runSlash('songbot set')).reply();
		expect(empty.text).toContain(
			'Give at least one of `cooldown`, `per_user`, `per_server`, `running_per_user` or `running_per_server`',
		);
		const noCost = await (await owner.runSlash('songbot costs')).reply();
		expect(noCost.text).toContain('Give at least one of `song`, `extend`, `remix`, `full_song`, `lyrics`, `upload`');
		const shown = await (await owner.runSlash('songbot show')).reply();
		expect(shown.text).toContain('Songs per server per day: 20 · *bot default*');
	});

	it('GIVEN an admin sets in-flight caps and costs THEN /songbot shows them as the server’s, next to the bot defaults', async () => {
		const owner = rig.double.user('server-owner');
		const shown = await (await owner.runSlash('songbot show')).reply();
		expect(shown.text).toContain('per person: unlimited · *bot default*');
		const caps = await (await owner.runSlash('songbot set', { running_per_user: 1, running_per_server: 4 })).reply();
		expect(caps.text).toContain('per person: 1 · *set for this server*');
		expect(caps.text).toContain('per server: 4 · *set for this server*');
		const costs = await (await owner.runSlash('songbot costs', { extend: 2, upload: 0 })).reply();
		expect(costs.text).toContain('extension: 2 songs · *set for this server*');
		expect(costs.text).toContain('audio upload: free · *set for this server*');
		expect(costs.text).toContain('lyrics: 1 song\n');
		const reset = await (await owner.runSlash('songbot reset')).reply();
		expect(reset.text).toContain('extension: 1 song\n');
		expect(reset.text).toContain('per person: unlimited · *bot default*');
	});

	it('GIVEN an admin sets a cooldown THEN a second song within it is refused naming the cooldown', async () => {
		const owner = rig.double.user('server-owner');
		await (await owner.runSlash('songbot set', { cooldown: 600, per_user: 0 })).reply();
		const bob = rig.double.user('bob');
		const first = await (await askForSong(bob, 'a quick jingle')).reply();
		expect(first.ephemeral).toBe(false);
		const second = await (await askForSong(bob, 'another quick jingle')).reply();
		expect(second.ephemeral).toBe(true);
		expect(second.text).toContain('one song every 600 seconds per person');
		await waitForTakes(rig.double.channel('general'), first.id);
	});
});
