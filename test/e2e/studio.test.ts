import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Rig, startRig } from './rig.ts';
import { isTake, waitForMessage } from './song-steps.ts';
import { aTake, clickTool, studioPanel, toolTask } from './studio-steps.ts';

describe('studio tools on the song card, family B, end to end', () => {
	let rig: Rig;
	beforeAll(async () => {
		rig = await startRig({ provider: { family: 'sunoapi' }, env: { USER_DAILY_LIMIT: '0', GUILD_DAILY_LIMIT: '0' } });
	});
	afterAll(async () => {
		await rig?.close();
	});

	it('GIVEN a take WHEN bob clicks Split THEN vocals and instrumental are posted as audio once; a second click links them and charges nothing', async () => {
		const channel = rig.double.channel('general');
		const take = await aTake(rig, 'a song to split');
		const bob = rig.double.user('bob');
		expect((await studioPanel(bob, take)).buttons).toEqual(expect.arrayContaining(['Split', 'WAV', 'Video']));
		const status = await (await clickTool(bob, take, 'Split')).reply();
		expect(status.ephemeral).toBe(false);
		const splitId = await toolTask(rig, 'split');
		const parts = (await channel.waitFor((all) => all.filter((m) => isTake(m, splitId)).length >= 2)).filter((m) =>
			isTake(m, splitId),
		);
		expect(parts.map((m) => m.text.match(/🎚️ (\w+)/)?.[1]).sort()).toEqual(['instrumental', 'vocals']);
		for (const part of parts)
			expect(part.attachments.map((a) => a.filename)).toEqual([expect.stringMatching(/\.mp3$/)]);
		await waitForMessage(channel, status.id, (m) => m.text.includes('Done: the parts are below'));
		await rig.app.ctx.tracker.idle();

		const again = await (await clickTool(bob, take, 'Split')).reply();
		expect(again.ephemeral).toBe(true);
		expect(again.text).toContain('nothing charged again');
		for (const part of parts) expect(again.text).toContain(part.id);
		expect(rig.fake.requestsOf('split')).toHaveLength(1);
		expect(channel.messages.filter((m) => isTake(m, splitId))).toHaveLength(2);
		// Parts are no takes to vote on: no poll follows them.
		expect(channel.messages.filter((m) => m.poll && m.text.includes('vocals'))).toHaveLength(0);
	});

	it('GIVEN stems cost more THEN the Stems button appears only once the admin set their cost, and posts 12 parts', async () => {
		const channel = rig.double.channel('general');
		const before = await aTake(rig, 'a song before stems');
		expect((await studioPanel(rig.double.user('alice'), before)).buttons).not.toContain('Stems');
		await (await rig.double.user('server-owner').runSlash('songbot costs', { stems: 3 })).reply();
		const take = await aTake(rig, 'a song with stems');
		expect((await studioPanel(rig.double.user('alice'), take)).buttons).toEqual(
			expect.arrayContaining(['Split', 'Stems', 'WAV', 'Video']),
		);
		const splits = rig.fake.requestsOf('split').length;
		const status = await (await clickTool(rig.double.user('alice'), take, 'Stems')).reply();
		const stemsId = await toolTask(rig, 'split', splits + 1);
		await channel.waitFor((all) => all.filter((m) => isTake(m, stemsId)).length >= 12);
		await waitForMessage(channel, status.id, (m) => m.text.includes('Done: the parts are below'));
		expect(rig.fake.requestsOf('split').at(-1)?.body).toMatchObject({ type: 'split_stem' });
	});

	it('GIVEN a take WHEN alice clicks WAV THEN the lossless file is posted under it and /songs links it with its take', async () => {
		const channel = rig.double.channel('general');
		const take = await aTake(rig, 'a song in wav');
		const status = await (await clickTool(rig.double.user('alice'), take, 'WAV')).reply();
		const wavId = await toolTask(rig, 'wav');
		const [file] = (await channel.waitFor((all) => all.some((m) => isTake(m, wavId)))).filter((m) => isTake(m, wavId));
		expect(file?.attachments.map((a) => a.filename)).toEqual([expect.stringMatching(/\.wav$/)]);
		expect(file?.text).toContain('WAV is attached');
		await waitForMessage(channel, status.id, (m) => m.text.includes('Done: the WAV is below'));
		await rig.app.ctx.tracker.idle();
		// Kept in the library: /songs links the WAV next to the take it was made of, and only there.
		const songs = await (await rig.double.user('bob').runSlash('songs', { search: 'a song in wav' })).reply();
		const links = [...songs.text.matchAll(/\[💾 WAV\]\((\S+?)\)/g)].map((m) => m[1]);
		expect(links).toEqual([expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/.*wav/)]);
		// The link downloads the WAV itself.
		const download = await fetch(links[0] as string);
		expect(download.ok).toBe(true);
		expect(
			Buffer.from(await download.arrayBuffer())
				.subarray(0, 4)
				.toString(),
		).toBe('RIFF');
	});

	it('GIVEN a take WHEN alice clicks Video THEN the song card links the video under that take, and the status message says so briefly', async () => {
		const channel = rig.double.channel('general');
		const take = await aTake(rig, 'a song with a video');
		const status = await (await clickTool(rig.double.user('alice'), take, 'Video')).reply();
		const videoId = await toolTask(rig, 'video');
		const card = await waitForMessage(channel, take.id, (m) => m.text.includes('Watch the music video'));
		const url = card.text.match(/\[Watch the music video\]\((\S+?)\)/)?.[1];
		expect(url).toMatch(/^https?:\/\//);
		// Under the take it was made of, once: the card names each take on its own line.
		expect(card.text.split('Watch the music video')).toHaveLength(2);
		const done = await waitForMessage(channel, status.id, (m) => m.text.includes('Done'));
		expect(done.text).toContain('linked on the song card');
		await rig.app.ctx.tracker.idle();
		// No separate link message: the card is where it is.
		expect(channel.messages.filter((m) => isTake(m, videoId))).toHaveLength(0);
		expect(channel.messages.filter((m) => m.id !== take.id && url && m.text.includes(url))).toHaveLength(0);
	});

	it('GIVEN the provider fails the video THEN the status message says so with the reason and nothing is posted', async () => {
		const channel = rig.double.channel('general');
		const take = await aTake(rig, 'a song for a video');
		rig.fake.setOutcome('failure');
		try {
			const status = await (await clickTool(rig.double.user('alice'), take, 'Video')).reply();
			const failed = await waitForMessage(channel, status.id, (m) => m.text.includes('Failed'));
			expect(failed.text).toMatch(/Internal Error|try again/);
			const ping = await channel.waitFor((all) => all.some((m) => m.text.includes('your music video failed:')));
			expect(ping.filter((m) => m.text.includes('your music video failed:'))).toHaveLength(1);
			const videoId = await toolTask(rig, 'video');
			await rig.app.ctx.tracker.idle();
			expect(channel.messages.filter((m) => isTake(m, videoId))).toHaveLength(0);
		} finally {
			rig.fake.setOutcome('success');
		}
	});

	it('GIVEN a split in flight WHEN the bot restarts THEN the parts are still posted, exactly once', async () => {
		const channel = rig.double.channel('general');
		const take = await aTake(rig, 'a split across a restart');
		rig.fake.setTimeline({ type: 'manual' });
		try {
			const splits = rig.fake.requestsOf('split').length;
			const status = await (await clickTool(rig.double.user('alice'), take, 'Split')).reply();
			const splitId = await toolTask(rig, 'split', splits + 1);
			await rig.stopBot();
			await rig.restartBot();
			rig.fake.completeTask(splitId);
			await channel.waitFor((all) => all.filter((m) => isTake(m, splitId)).length >= 2);
			await waitForMessage(channel, status.id, (m) => m.text.includes('Done'));
			await rig.app.ctx.tracker.idle();
			expect(channel.messages.filter((m) => isTake(m, splitId))).toHaveLength(2);
		} finally {
			rig.fake.setTimeline({ type: 'polls', every: 1 });
		}
	});
});

describe('studio tools and the daily limits (family B)', () => {
	let rig: Rig;
	beforeAll(async () => {
		rig = await startRig({ provider: { family: 'sunoapi' }, env: { USER_DAILY_LIMIT: '1' } });
	});
	afterAll(async () => {
		await rig?.close();
	});

	it('GIVEN alice used her one song today THEN Split is refused by the limit, and WAV works once the admin made it free', async () => {
		const take = await aTake(rig, 'the only song today');
		const alice = rig.double.user('alice');
		const refused = await (await clickTool(alice, take, 'Split')).reply();
		expect(refused.ephemeral).toBe(true);
		expect(refused.text).toMatch(/limit|today/i);
		expect(rig.fake.requestsOf('split')).toHaveLength(0);

		await (await rig.double.user('server-owner').runSlash('songbot costs', { wav: 0 })).reply();
		const status = await (await clickTool(alice, take, 'WAV')).reply();
		expect(status.ephemeral).toBe(false);
		const wavId = await toolTask(rig, 'wav');
		await rig.double.channel('general').waitFor((all) => all.some((m) => isTake(m, wavId)));
		await waitForMessage(rig.double.channel('general'), status.id, (m) => m.text.includes('Done'));
	});
});

for (const [family, name] of [
	['newapi', 'family A'],
	['v1music', 'family C'],
] as const)
	describe(`studio tools on a provider without them (${name})`, () => {
		let rig: Rig;
		beforeAll(async () => {
			rig = await startRig({ provider: { family } });
		});
		afterAll(async () => {
			await rig?.close();
		});

		it('GIVEN a take THEN it has no studio button; /own-audio, Boost style and the house singer are not offered', async () => {
			const take = await aTake(rig, 'a song without studio');
			expect(take.buttons.length).toBeGreaterThan(0);
			for (const label of ['Studio', 'Split', 'WAV', 'Video', 'Fix a section', 'House singer', 'Karaoke'])
				expect(take.buttons).not.toContain(label);
			const commands = rig.double.commands;
			expect(commands.map((c) => c.name)).not.toContain('own-audio');
			const song = commands.find((c) => c.name === 'song') as
				{ options?: { name: string; choices?: { value: unknown }[] }[] } | undefined;
			expect(song?.options?.map((o) => o.name)).not.toContain('boost_style');
			const voices = song?.options?.find((o) => o.name === 'voice')?.choices?.map((c) => c.value) ?? [];
			expect(voices).not.toContain('h');
		});
	});
