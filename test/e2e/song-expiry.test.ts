import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../doubles/discord/index.ts';
import { type Rig, startRig } from './rig.ts';
import { askForSong, taskIdOf, waitForMessage, waitForTakes } from './song-steps.ts';

describe('/song tracker after the interaction token expired, end to end', () => {
	let rig: Rig;
	beforeAll(async () => {
		rig = await startRig({ provider: { family: 'newapi', timeline: { type: 'manual' } } });
	});
	afterAll(async () => {
		await rig?.close();
	});

	it('GIVEN the 15-minute token has run out THEN the tracker message keeps updating to Done (edited as a channel message)', async () => {
		const channel = rig.double.channel('general');
		const submit = await askForSong(rig.double.user('alice'), 'a very slow song');
		const reply = await submit.reply();
		// Discord's 15 minutes, shortened: from now on the interaction's webhook routes answer 50027.
		rig.double.limits.tokenLifetimeMs = 200;
		try {
			const tracker = await waitForMessage(channel, reply.id, (m) => taskIdOf(m) !== undefined);
			const taskId = taskIdOf(tracker) as string;
			await new Promise((resolve) => setTimeout(resolve, 300));
			const before = rig.double.requests.length;

			rig.fake.advance(taskId, 3);
			const streaming = await waitForMessage(channel, reply.id, (m) => m.text.includes('First take streaming'));
			expect(streaming.edited).toBe(true);
			rig.fake.completeTask(taskId);
			const done = await waitForMessage(channel, reply.id, (m) => m.text.includes('Done'));
			expect(done.text).toContain('asked by');
			expect(await waitForTakes(channel, reply.id)).toHaveLength(2);

			const edits = rig.double.requests.slice(before).filter((r) => r.method === 'PATCH');
			expect(edits.length).toBeGreaterThan(0);
			expect(edits.every((r) => r.path.includes(`/channels/${channel.id}/messages/${reply.id}`))).toBe(true);
			expect(edits.every((r) => r.status === 200)).toBe(true);
		} finally {
			rig.double.limits.tokenLifetimeMs = DEFAULT_LIMITS.tokenLifetimeMs;
		}
	});
});
