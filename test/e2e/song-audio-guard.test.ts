import { afterEach, describe, expect, it } from 'vitest';
import { type Rig, type RigOptions, startRig } from './rig.ts';
import { askForSong, waitForTakes } from './song-steps.ts';

const BLOCKED = 'The provider’s audio address points inside a private network, so the bot did not fetch it.';
const NOT_AUDIO = 'What the provider sent for this take is not audio, so the bot did not post it.';

/**
 * Provider URLs are fetched by the bot, so they must not lead inside its network: with AUDIO_ALLOW_PRIVATE off
 * (the default), audio at 127.0.0.1 or at the cloud metadata address is refused, the song still ends with both
 * takes shown and a clear reason, and nothing fetched from such a URL reaches the channel.
 */
describe('provider audio URLs on the whole bot', () => {
	let rig: Rig | undefined;
	afterEach(async () => {
		await rig?.close();
		rig = undefined;
	});

	async function songWith(options: RigOptions) {
		rig = await startRig(options);
		const tracker = await (await askForSong(rig.double.user('alice'), 'Inside Job')).reply();
		const takes = await waitForTakes(rig.double.channel('general'), tracker.id);
		return { rig, takes: takes.sort((a, b) => a.text.localeCompare(b.text)) };
	}

	it('GIVEN take URLs at 127.0.0.1 and private addresses not allowed THEN nothing is fetched or attached and each take says why', async () => {
		const { rig, takes } = await songWith({ env: { AUDIO_ALLOW_PRIVATE: 'false' } });
		expect(takes).toHaveLength(2);
		for (const take of takes) {
			expect(take.attachments).toEqual([]);
			expect(take.text).toContain(BLOCKED);
			// No link to the internal address either.
			expect(take.text).not.toContain('127.0.0.1');
		}
		expect(rig.fake.requests.filter((r) => r.route === 'file')).toEqual([]);
	});

	it('GIVEN take URLs at the metadata address 169.254.169.254 THEN they are refused the same way', async () => {
		const { takes } = await songWith({
			env: { AUDIO_ALLOW_PRIVATE: 'false' },
			provider: { family: 'newapi', fileOrigin: 'http://169.254.169.254' },
		});
		expect(takes).toHaveLength(2);
		for (const take of takes) {
			expect(take.attachments).toEqual([]);
			expect(take.text).toContain(BLOCKED);
			expect(take.text).not.toContain('169.254.169.254');
		}
	});

	it('GIVEN a take whose download is not audio THEN it is not posted as a file, and the good take is', async () => {
		// brokenAudio serves random bytes as audio/mpeg for the second take.
		const { takes } = await songWith({ provider: { family: 'newapi', brokenAudio: true } });
		const [good, bad] = [takes.find((t) => t.attachments.length > 0), takes.find((t) => t.attachments.length === 0)];
		expect(good?.attachments[0]?.filename).toMatch(/\.mp3$/);
		expect(bad?.text).toContain(NOT_AUDIO);
		expect(bad?.text).not.toContain('Download the take');
	});
});
