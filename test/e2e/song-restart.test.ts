import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Rig, startRig } from './rig.ts';
import {
	askForSong,
	isTake,
	pingsOf,
	readyPings,
	takesIn,
	taskIdOf,
	waitForMessage,
	waitForTakes,
} from './song-steps.ts';

describe('/song across a restart of the bot, end to end', () => {
	let rig: Rig;
	beforeAll(async () => {
		rig = await startRig({ env: { USER_DAILY_LIMIT: '0', GUILD_DAILY_LIMIT: '0' } });
	});
	afterAll(async () => {
		await rig?.close();
	});

	it('GIVEN a finished song WHEN the bot restarts THEN the Lyrics button on its take still answers', async () => {
		const channel = rig.double.channel('general');
		const tracker = await (await askForSong(rig.double.user('alice'), 'a song that outlives the bot')).reply();
		const [take] = await waitForTakes(channel, tracker.id);
		await rig.stopBot();
		await rig.restartBot();

		const click = await rig.double.user('bob').click(take as NonNullable<typeof take>, 'Lyrics');
		const reply = await click.reply();
		expect(reply.ephemeral).toBe(true);
		expect(reply.text).toContain('📜');
		expect(reply.text.length).toBeGreaterThan(20);
	});

	it('GIVEN a song in flight WHEN the bot restarts THEN it is still delivered, exactly once', async () => {
		const channel = rig.double.channel('general');
		rig.fake.setTimeline({ type: 'manual' });
		try {
			const reply = await (await askForSong(rig.double.user('alice'), 'a song across a restart')).reply();
			const tracker = await waitForMessage(channel, reply.id, (m) => taskIdOf(m) !== undefined);
			const taskId = taskIdOf(tracker) as string;
			await rig.stopBot();
			await rig.restartBot();

			rig.fake.completeTask(taskId);
			const takes = await waitForTakes(channel, reply.id);
			await rig.app.ctx.tracker.idle();
			expect(takes).toHaveLength(2);
			expect(takesIn(channel.messages, taskId)).toHaveLength(2);
			expect(channel.messages.find((m) => m.id === reply.id)?.attachments).toHaveLength(2);
			expect(readyPings(channel.messages, reply.id)).toHaveLength(1);
			const ofSong = channel.messages.filter(
				(m) => m.id === reply.id || isTake(m, taskId) || readyPings([m], reply.id).length > 0,
			);
			expect(pingsOf(ofSong)).toEqual({ users: [rig.double.user('alice').id], roles: [], everyone: 0 });
		} finally {
			rig.fake.setTimeline({ type: 'polls', every: 1 });
		}
	});
});
