import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Rig, startRig } from './rig.ts';
import { askForSong, readyPings, taskIdOf, waitForMessage, waitForTakes } from './song-steps.ts';

describe('/song failures end to end', () => {
	let rig: Rig;
	beforeAll(async () => {
		rig = await startRig({
			double: { users: ['alice', 'bob', 'carol', 'dave'] },
			env: { USER_DAILY_LIMIT: '5', GUILD_DAILY_LIMIT: '0', STALL_TIMEOUT_SEC: '2' },
		});
	});
	afterEach(() => {
		rig.fake.clearFaults();
		rig.fake.setOutcome('success');
	});
	afterAll(async () => {
		await rig?.close();
	});

	it('GIVEN a description of only spaces (the modal cannot refuse it) THEN an ephemeral message explains, nothing is sent or spent', async () => {
		const alice = rig.double.user('alice');
		const submits = rig.fake.requestsOf('submit').length;
		const slash = await alice.runSlash('song', { mode: 'describe' });
		const refused = await (await (await slash.modal()).submit({ description: '   \n  ' })).reply();
		expect(refused.ephemeral).toBe(true);
		expect(refused.text).toBe('Describe the song you want.');
		const lyrics = await (
			await (await alice.runSlash('song', { mode: 'custom' })).modal()
		).submit({ lyrics: '  ', style: 'folk', title: 'Empty' });
		expect((await lyrics.reply()).text).toBe('Write some lyrics, or tick instrumental.');
		expect(rig.fake.requestsOf('submit')).toHaveLength(submits);

		const next = await (await askForSong(alice, 'a song with words this time')).reply();
		expect(next.text).toContain('4 left for you today');
		await waitForTakes(rig.double.channel('general'), next.id);
	});

	it('GIVEN the bot may not attach files in the channel THEN the person is told which permission is missing, and nothing is sent', async () => {
		const songs = rig.double.channel('songs');
		songs.setPermissions('bot', { deny: ['ATTACH_FILES'] });
		try {
			const submits = rig.fake.requestsOf('submit').length;
			// Refused at /song, before the form, so nobody writes lyrics for nothing.
			const slash = await rig.double.user('alice').runSlash('song', { mode: 'describe' }, { channel: 'songs' });
			const reply = await slash.reply();
			expect(reply.ephemeral).toBe(true);
			expect(reply.text).toContain(`I am missing a permission in <#${songs.id}>: **Attach Files**`);
			expect(rig.fake.requestsOf('submit')).toHaveLength(submits);
			expect(songs.messages).toHaveLength(0);
		} finally {
			songs.setPermissions('bot', {});
		}
	});

	it('GIVEN the provider account is out of credits THEN the tracker says so and the quota is given back', async () => {
		rig.fake.inject('credits', { on: 'submit' });
		const channel = rig.double.channel('general');
		const bob = rig.double.user('bob');
		const tracker = await (await askForSong(bob, 'a song nobody paid for')).reply();
		const failed = await waitForMessage(channel, tracker.id, (m) => m.text.includes('Failed'));
		expect(failed.text).toContain('The music provider account is out of credits');
		expect(failed.text).toContain('Nothing was charged to your quota.');
		expect(failed.text).toContain('5 left for you today');

		const next = await (await askForSong(bob, 'a song somebody paid for')).reply();
		expect(next.text).toContain('4 left for you today');
		await waitForTakes(channel, next.id);
	});

	it('GIVEN words the provider refuses THEN the tracker says it is a content policy refusal', async () => {
		const channel = rig.double.channel('general');
		const tracker = await (await askForSong(rig.double.user('carol'), 'a forbidden song')).reply();
		const failed = await waitForMessage(channel, tracker.id, (m) => m.text.includes('Failed'));
		expect(failed.text).toContain('refused this request under its content policy');
		expect(channel.messages.filter((m) => m.text.includes('a forbidden song') && m.id !== tracker.id)).toHaveLength(0);
	});

	it('GIVEN a task that stops making progress THEN the tracker shows the stall (its id behind Details), and a late success is still delivered', async () => {
		rig.fake.setOutcome('stuck');
		const channel = rig.double.channel('general');
		const tracker = await (await askForSong(rig.double.user('dave'), 'a song that takes its time')).reply();
		const stalled = await waitForMessage(channel, tracker.id, (m) => m.text.includes('Stalled'));
		const taskId = taskIdOf(stalled);
		expect(taskId).toBeDefined();
		expect(stalled.text).toContain('No progress since <t:');
		expect(stalled.text).not.toContain(taskId);
		const details = await (await rig.double.user('dave').click(stalled, 'Details')).reply();
		expect(details.ephemeral).toBe(true);
		expect(details.text).toContain(taskId);

		rig.fake.completeTask(taskId as string);
		const takes = await waitForTakes(channel, tracker.id);
		expect(takes).toHaveLength(2);
		const [ready] = await channel
			.waitFor((all) => readyPings(all, tracker.id).length > 0)
			.then((all) => readyPings(all, tracker.id));
		expect(ready?.content).toContain(`<@${rig.double.user('dave').id}> your song is ready`);
	});
});
