import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Rig, startRig } from './rig.ts';
import { askForSong, waitForTakes } from './song-steps.ts';

/** The fake's takes: take 1 is a 12 s MP3 of 96 592 bytes, take 2 a 9 s MP3 of 72 559 bytes. */
describe('/song takes larger than the upload limit, end to end', () => {
	let rig: Rig;
	beforeAll(async () => {
		rig = await startRig({ env: { USER_DAILY_LIMIT: '0', GUILD_DAILY_LIMIT: '0' } });
	});
	afterEach(() => {
		rig.double.guild.setAttachmentSizeLimit(null);
	});
	afterAll(async () => {
		await rig?.close();
	});

	it('GIVEN a server upload limit below the take size THEN the take is re-encoded to fit and the message says so', async () => {
		rig.double.guild.setAttachmentSizeLimit(90_000);
		const tracker = await (await askForSong(rig.double.user('alice'), 'a long ballad')).reply();
		const [first, second] = await waitForTakes(rig.double.channel('general'), tracker.id);
		expect(first?.attachments).toHaveLength(1);
		expect(first?.attachments[0]?.size).toBeLessThanOrEqual(90_000);
		expect(first?.attachments[0]?.filename).toMatch(/\.mp3$/);
		expect(first?.text).toContain('Re-encoded at 48 kb/s to fit this server');
		// Take 2 fits as it is: untouched, and nothing said about it.
		expect(second?.attachments[0]?.size).toBe(72_559);
		expect(second?.text).not.toContain('Re-encoded');
	});

	it('GIVEN a limit too small for any bitrate THEN each take is posted as a link and the message says so', async () => {
		rig.double.guild.setAttachmentSizeLimit(20_000);
		const tracker = await (await askForSong(rig.double.user('alice'), 'an epic saga')).reply();
		const takes = await waitForTakes(rig.double.channel('general'), tracker.id);
		for (const take of takes) {
			expect(take.attachments).toHaveLength(0);
			expect(take.text).toContain('too large for this server’s upload limit, even re-encoded');
			expect(take.text).toMatch(/\[Download the take\]\(http:\/\/127\.0\.0\.1:\d+\/files\/.+\.mp3\)/);
		}
	});

	it('GIVEN the limit shrinks after the song was asked for THEN Discord’s refusal turns into a link, not a lost take', async () => {
		const tracker = await (await askForSong(rig.double.user('bob'), 'a song for a shrinking server')).reply();
		rig.double.guild.setAttachmentSizeLimit(20_000);
		const takes = await waitForTakes(rig.double.channel('general'), tracker.id);
		expect(takes).toHaveLength(2);
		for (const take of takes) {
			expect(take.attachments).toHaveLength(0);
			expect(take.text).toContain('[Download the take]');
		}
	});
});
