import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InteractionHandle, MessageView, UserHandle } from '../doubles/discord/index.ts';
import { type Rig, startRig } from './rig.ts';
import { takesIn } from './song-steps.ts';

/**
 * Issue 15: every form that leads to a paid call checks the limits before it opens (as /song does), so nobody
 * types a song for nothing: Extend, Remix, Make a song, Regenerate, /song, /lyrics and /own-audio, once alice's
 * daily songs are used up.
 */

const USED_UP = 'You have used all 2 of your songs for today on this server';

describe('limits before each form, end to end', () => {
	let rig: Rig;
	let alice: UserHandle;
	let take: MessageView;
	let sheet: MessageView;
	// Every paid call of family B (generate, extend, cover, lyrics) is a submit route of the fake.
	const providerCalls = () => rig.fake.requestsOf('submit').length;

	beforeAll(async () => {
		rig = await startRig({ provider: { family: 'sunoapi' }, env: { USER_DAILY_LIMIT: '2', GUILD_DAILY_LIMIT: '0' } });
		alice = rig.double.user('alice');
		const theme = await (await alice.runSlash('lyrics')).modal();
		const tracker = await (await theme.submit({ theme: 'a rainy harbour town' })).reply();
		sheet = await rig.double
			.channel('general')
			.waitForMessage((m) => m.id === tracker.id && m.buttons.includes('Regenerate'), { timeout: 10_000 });
		const form = await (await alice.runSlash('song', { mode: 'custom' })).modal();
		await form.submit({ lyrics: '[Verse]\nWhiskers in the sun', style: 'synthpop', title: 'Cat Nap' });
		const all = await rig.double.channel('general').waitFor((ms) => takesIn(ms).length === 2, { timeout: 20_000 });
		take = takesIn(all)[0] as MessageView;
	}, 40_000);
	afterAll(async () => {
		await rig?.close();
	});

	/** The click was answered with the refusal, privately, and no form was shown. */
	async function refusedBeforeForm(click: InteractionHandle): Promise<void> {
		const response = await click.response();
		expect(response.type).toBe(4);
		const reply = await click.reply();
		expect(reply.ephemeral).toBe(true);
		expect(reply.text).toContain(USED_UP);
	}

	it('GIVEN alice used her songs for today WHEN she presses Extend THEN she is told before any form opens', async () => {
		const before = providerCalls();
		await refusedBeforeForm(await alice.click(take, 'Extend'));
		expect(providerCalls()).toBe(before);
	});

	it('GIVEN alice used her songs for today WHEN she presses Remix THEN she is told before any form opens', async () => {
		await refusedBeforeForm(await alice.click(take, 'Remix'));
	});

	it('GIVEN alice used her songs for today WHEN she presses Make a song on a sheet THEN she is told before any form opens', async () => {
		await refusedBeforeForm(await alice.click(sheet, /^Make a song/));
	});

	it('GIVEN alice used her songs for today WHEN she presses Regenerate THEN she is told and nothing is sent', async () => {
		const before = providerCalls();
		await refusedBeforeForm(await alice.click(sheet, 'Regenerate'));
		expect(providerCalls()).toBe(before);
	});

	it('GIVEN alice used her songs for today WHEN she runs /song alone or /lyrics THEN she is told before any form opens', async () => {
		await refusedBeforeForm(await alice.runSlash('song'));
		await refusedBeforeForm(await alice.runSlash('lyrics'));
	});

	it('GIVEN alice used her songs for today WHEN she runs /own-audio THEN she is told before its form asks for a file', async () => {
		await refusedBeforeForm(await alice.runSlash('own-audio', { what: 'add_vocals' }));
		await refusedBeforeForm(await alice.runSlash('own-audio', { what: 'cover' }));
	});

	it('GIVEN bob has songs left THEN the same buttons open their forms for him', async () => {
		const bob = rig.double.user('bob');
		expect((await (await bob.click(take, 'Extend')).response()).type).toBe(9);
		expect((await (await bob.click(take, 'Remix')).response()).type).toBe(9);
		expect((await (await bob.click(sheet, /^Make a song/)).response()).type).toBe(9);
		expect((await (await bob.runSlash('own-audio', { what: 'cover' })).response()).type).toBe(9);
	});
});
