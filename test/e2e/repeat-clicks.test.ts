import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageView } from '../doubles/discord/index.ts';
import { type Rig, startRig } from './rig.ts';
import { makeSong, VOICE_ENV, waitForText } from './voice-steps.ts';

/** Issue 15: the same button on the same message pressed twice within a few seconds does one thing. */

const REPEAT = 'That button was just pressed';

describe('repeat clicks on a lyrics sheet', () => {
	let rig: Rig;
	let sheet: MessageView;
	beforeAll(async () => {
		rig = await startRig({ double: { users: ['alice', 'bob', 'carol'] } });
		const form = await (await rig.double.user('alice').runSlash('lyrics')).modal();
		const tracker = await (await form.submit({ theme: 'a rainy harbour town' })).reply();
		sheet = await rig.double
			.channel('general')
			.waitForMessage((m) => m.id === tracker.id && m.buttons.includes('Regenerate'), { timeout: 10_000 });
	}, 30_000);
	afterAll(async () => {
		await rig?.close();
	});

	it('GIVEN bob and carol press Regenerate at once THEN one new sheet is written and the other press is told so', async () => {
		const lyricsAsked = rig.fake.requestsOf('lyrics').length;
		const clicks = await Promise.all([
			rig.double.user('bob').click(sheet, 'Regenerate'),
			rig.double.user('carol').click(sheet, 'Regenerate'),
		]);
		const replies = await Promise.all(clicks.map((c) => c.reply()));
		const written = replies.filter((r) => !r.ephemeral);
		expect(written).toHaveLength(1);
		expect(replies.find((r) => r.ephemeral)?.text).toContain(REPEAT);
		await rig.double
			.channel('general')
			.waitForMessage((m) => m.id === written[0]?.id && m.buttons.includes('Regenerate'), { timeout: 10_000 });
		expect(rig.fake.requestsOf('lyrics')).toHaveLength(lyricsAsked + 1);
	});

	it('GIVEN two people revise the same version THEN their revisions get distinct numbers', async () => {
		const alice = rig.double.user('alice');
		const bob = rig.double.user('bob');
		const forms = [await (await alice.click(sheet, 'Edit')).modal(), await (await bob.click(sheet, 'Edit')).modal()];
		const [first, second] = await Promise.all([
			forms[0]!.submit({ lyrics: 'Lanterns on the quay' }).then((s) => s.reply()),
			forms[1]!.submit({ lyrics: 'Gulls over the quay' }).then((s) => s.reply()),
		]);
		const footers = [first, second].map((m) => /revision (\d+)/.exec(m!.text)?.[1]).sort();
		expect(footers).toEqual(['1', '2']);
	});
});

describe('repeat clicks on Play', () => {
	let rig: Rig;
	beforeAll(async () => {
		rig = await startRig({ voice: true, env: VOICE_ENV });
	});
	afterAll(async () => {
		await rig?.close();
	});

	it('GIVEN a take playing WHEN Play on the other take is double-clicked THEN it is queued once', async () => {
		const general = rig.double.channel('general');
		const alice = rig.double.user('alice');
		const [one, two] = await makeSong(rig, 'Dawn');
		await alice.joinVoice('General');
		const player = await (await alice.click(one, 'Play')).reply();
		await waitForText(general, player.id, 'Now playing', '**\u2068Dawn · take 1\u2069**');

		const clicks = await Promise.all([alice.click(two, 'Play'), alice.click(two, 'Play')]);
		const replies = await Promise.all(clicks.map((c) => c.reply()));
		expect(replies.filter((r) => r.text.includes('Queued #2'))).toHaveLength(1);
		expect(replies.filter((r) => r.text.includes(REPEAT))).toHaveLength(1);
		const shown = await waitForText(general, player.id, 'Up next');
		expect(shown.text.match(/\d+\. \*\*/g)).toHaveLength(1);
		await (await alice.runSlash('stop')).reply();
	});
});
