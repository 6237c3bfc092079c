import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TOOL_NAMES } from '../../src/core/studio.ts';
import type { Provider } from '../../src/providers/index.ts';
import { type FakeProvider, startFakeProvider } from '../doubles/providers/index.ts';
import { callbackReceiver, pollToEnd, providerFor, rejectionOf } from './helpers.ts';

let fake: FakeProvider;
beforeAll(async () => {
	fake = await startFakeProvider({ family: 'sunoapi' });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());
const extra: { close(): Promise<void> }[] = [];
afterEach(async () => {
	for (const server of extra.splice(0)) await server.close();
});

/** A finished song at the fake: its task id and the ids of its two takes. */
async function finishedSong(provider: Provider): Promise<{ taskId: string; clips: string[] }> {
	const { taskId } = await provider.generate({
		mode: 'custom',
		lyrics: '[Verse]\nWe sing the night away\nuntil the morning light',
		style: 'pop',
		title: 'Night',
		model: 'v5',
	});
	fake.completeTask(taskId);
	return { taskId, clips: fake.task(taskId).clips.map((c) => c.id) };
}

function studioOf(provider: Provider) {
	if (!provider.studio) throw new Error('family B should have studio tools');
	return provider.studio;
}

describe('family B studio tools', () => {
	it('GIVEN each family THEN family B offers every tool and families A and C report they lack them', async () => {
		const b = providerFor(fake).provider;
		for (const tool of TOOL_NAMES) expect(b.capabilities[tool], tool).toBe(true);
		for (const family of ['newapi', 'v1music'] as const) {
			const other = await startFakeProvider({ family });
			extra.push(other);
			const { provider } = providerFor(other);
			for (const tool of TOOL_NAMES) expect(provider.capabilities[tool] === true, `${family} ${tool}`).toBe(false);
			expect(provider.studio).toBeUndefined();
		}
	});

	it('GIVEN SUNO_FEATURES=-stems THEN a split into stems is refused before anything is sent, a vocal split is not', async () => {
		const { provider } = providerFor(fake, { features: { stems: false } });
		const song = await finishedSong(provider);
		const source = { taskId: song.taskId, clipId: song.clips[0] as string };
		const error = await rejectionOf(studioOf(provider).split({ source, stems: true }));
		expect(error).toMatchObject({ kind: 'unsupported', userMessage: expect.stringContaining('stems') });
		expect(fake.requestsOf('split')).toHaveLength(0);
		await studioOf(provider).split({ source });
		expect(fake.requestsOf('split')[0]?.body).toMatchObject({ type: 'separate_vocal', audioId: source.clipId });
	});

	it('GIVEN a finished take WHEN it is split THEN record-info walks to vocals + instrumental, each a downloadable file', async () => {
		const { provider } = providerFor(fake);
		const song = await finishedSong(provider);
		const source = { taskId: song.taskId, clipId: song.clips[0] as string };
		const { taskId } = await studioOf(provider).split({ source });
		expect(fake.requestsOf('split')[0]?.body).toEqual({
			taskId: song.taskId,
			audioId: source.clipId,
			callBackUrl: 'https://songbot.invalid/no-callback',
			type: 'separate_vocal',
		});
		const seen = await pollToEnd(provider, taskId, 'split');
		expect(seen[0]?.status).toBe('queued');
		const done = seen.at(-1);
		expect(done).toMatchObject({ kind: 'split', status: 'succeeded' });
		expect(done?.clips.map((c) => c.stem)).toEqual(['vocals', 'instrumental']);
		const audio = await fetch(done?.clips[0]?.audioUrl as string);
		expect(audio.headers.get('content-type')).toBe('audio/mpeg');
		expect((await audio.arrayBuffer()).byteLength).toBeGreaterThan(1000);
	});

	it('GIVEN split_stem THEN up to 12 stems come back, each named', async () => {
		const { provider } = providerFor(fake);
		const song = await finishedSong(provider);
		const { taskId } = await studioOf(provider).split({
			source: { taskId: song.taskId, clipId: song.clips[1] as string },
			stems: true,
		});
		const done = (await pollToEnd(provider, taskId, 'split')).at(-1);
		expect(done?.clips).toHaveLength(12);
		expect(done?.clips.map((c) => c.stem)).toContain('drums');
		expect(new Set(done?.clips.map((c) => c.audioUrl)).size).toBe(12);
	});

	it('GIVEN a WAV and a video THEN each arrives as a link; a second WAV of the same take is refused with 409', async () => {
		const { provider } = providerFor(fake);
		const song = await finishedSong(provider);
		const source = { taskId: song.taskId, clipId: song.clips[0] as string };
		const wav = await studioOf(provider).wav(source);
		const wavDone = (await pollToEnd(provider, wav.taskId, 'wav')).at(-1);
		expect(wavDone).toMatchObject({ kind: 'wav', status: 'succeeded' });
		const wavFile = await fetch(wavDone?.clips[0]?.audioUrl as string);
		expect(
			Buffer.from(await wavFile.arrayBuffer())
				.subarray(0, 4)
				.toString(),
		).toBe('RIFF');
		const again = await rejectionOf(studioOf(provider).wav(source));
		expect(again).toMatchObject({ kind: 'invalid_input', userMessage: expect.stringContaining('already exists') });
		const video = await studioOf(provider).video(source, { author: 'alice' });
		expect(fake.requestsOf('video')[0]?.body).toMatchObject({ author: 'alice', audioId: source.clipId });
		const videoDone = (await pollToEnd(provider, video.taskId, 'video')).at(-1);
		expect(videoDone?.clips[0]?.videoUrl).toMatch(/\.mp4$/);
	});

	it('GIVEN a take still being made THEN the provider refuses the tool and nothing is charged', async () => {
		const { provider } = providerFor(fake);
		const { taskId } = await provider.generate({ mode: 'describe', description: 'tea', model: 'v5' });
		const credits = fake.credits;
		const clipId = fake.task(taskId).clips[0]?.id as string;
		const error = await rejectionOf(studioOf(provider).wav({ taskId, clipId }));
		expect(error).toMatchObject({ kind: 'invalid_input', userMessage: expect.stringContaining('not generated yet') });
		expect(fake.credits).toBe(credits);
	});

	it('GIVEN callbacks THEN split, WAV and video callbacks parse into their results, and a failed one into a failure', async () => {
		const receiver = await callbackReceiver();
		extra.push(receiver);
		const { provider } = providerFor(fake);
		const song = await finishedSong(provider);
		const source = { taskId: song.taskId, clipId: song.clips[0] as string };
		const options = { callbackUrl: receiver.url };
		const split = await studioOf(provider).split({ source }, options);
		const wav = await studioOf(provider).wav(source, options);
		const video = await studioOf(provider).video(source, options);
		fake.completeTask(split.taskId);
		fake.completeTask(wav.taskId);
		fake.failTask(video.taskId, { code: 500, reason: 'MP4 generation failed' });
		await fake.flushCallbacks();
		const snapshots = receiver.bodies.map((body) => provider.parseCallback(body)[0]?.snapshot);
		expect(snapshots.find((s) => s?.taskId === split.taskId)).toMatchObject({ kind: 'split', status: 'succeeded' });
		expect(snapshots.find((s) => s?.taskId === split.taskId)?.clips.map((c) => c.stem)).toEqual([
			'vocals',
			'instrumental',
		]);
		expect(snapshots.find((s) => s?.taskId === wav.taskId)?.clips[0]?.audioUrl).toMatch(/\.wav$/);
		expect(snapshots.find((s) => s?.taskId === video.taskId)).toMatchObject({
			kind: 'video',
			status: 'failed',
			failureReason: 'MP4 generation failed',
		});
		const failedRecord = (await provider.fetch([{ taskId: video.taskId, kind: 'video' }])).get(video.taskId);
		expect(failedRecord).toMatchObject({ status: 'failed', failureReason: 'MP4 generation failed' });
	});

	it('GIVEN a short style THEN boost answers a longer one at once; an empty one is refused before sending', async () => {
		const { provider } = providerFor(fake);
		const boosted = await studioOf(provider).boostStyle('sad synthwave');
		expect(boosted.startsWith('sad synthwave, ')).toBe(true);
		expect(boosted.length).toBeGreaterThan('sad synthwave'.length * 3);
		expect(fake.requestsOf('boost')[0]?.body).toEqual({ content: 'sad synthwave' });
		expect(await rejectionOf(studioOf(provider).boostStyle('  '))).toMatchObject({ kind: 'invalid_input' });
		expect(fake.requestsOf('boost')).toHaveLength(1);
		fake.setCredits(0);
		expect(await rejectionOf(studioOf(provider).boostStyle('folk'))).toMatchObject({ kind: 'credits' });
	});

	it('GIVEN a finished take THEN its timed lyrics are the sung words in order, with times inside the take', async () => {
		const { provider } = providerFor(fake);
		const song = await finishedSong(provider);
		const words = await studioOf(provider).timestampedLyrics({ taskId: song.taskId, clipId: song.clips[0] as string });
		expect(words.map((w) => w.word.trim()).join(' ')).toBe('We sing the night away until the morning light');
		for (const [i, w] of words.entries()) {
			expect(w.endSec).toBeGreaterThan(w.startSec);
			if (i > 0) expect(w.startSec).toBeGreaterThanOrEqual(words[i - 1]?.endSec as number);
		}
		expect(words.at(-1)?.endSec).toBeLessThanOrEqual(12);
	});

	it('GIVEN a persona THEN a 10–30 s window is required and asking twice for one take gives the same singer', async () => {
		const { provider } = providerFor(fake);
		const song = await finishedSong(provider);
		const source = { taskId: song.taskId, clipId: song.clips[0] as string };
		const short = await rejectionOf(
			studioOf(provider).persona({ source, name: 'Nova', description: 'airy', vocalStartSec: 0, vocalEndSec: 5 }),
		);
		expect(short).toMatchObject({ kind: 'invalid_input', userMessage: expect.stringContaining('10 to 30 seconds') });
		expect(fake.requestsOf('persona')).toHaveLength(0);
		const first = await studioOf(provider).persona({ source, name: 'Nova', description: 'airy pop voice' });
		const second = await studioOf(provider).persona({ source, name: 'Nova', description: 'airy pop voice' });
		expect(first).toEqual({ id: second.id, name: 'Nova', description: 'airy pop voice' });
		expect(fake.requestsOf('persona')[0]?.body).toMatchObject({ vocalStart: 0, vocalEnd: 30 });
	});

	it('GIVEN a section to fix THEN more than half the take is refused locally, and a valid one makes a new song task', async () => {
		const { provider } = providerFor(fake);
		const song = await finishedSong(provider);
		const source = { taskId: song.taskId, clipId: song.clips[0] as string };
		const base = { source, lyrics: '[Verse]\nNew words here', style: 'pop', title: 'Night', durationSec: 12 };
		const long = await rejectionOf(studioOf(provider).replaceSection({ ...base, fromSec: 0, toSec: 8 }));
		expect(long).toMatchObject({ kind: 'invalid_input', userMessage: expect.stringContaining('half') });
		const short = await rejectionOf(studioOf(provider).replaceSection({ ...base, fromSec: 0, toSec: 3 }));
		expect(short).toMatchObject({ kind: 'invalid_input', userMessage: expect.stringContaining('6 to 60') });
		expect(fake.requestsOf('replace')).toHaveLength(0);
		const { taskId } = await studioOf(provider).replaceSection({ ...base, fromSec: 0, toSec: 6 });
		expect(fake.requestsOf('replace')[0]?.body).toMatchObject({ infillStartS: 0, infillEndS: 6, tags: 'pop' });
		const done = (await pollToEnd(provider, taskId)).at(-1);
		expect(done).toMatchObject({ kind: 'music', status: 'succeeded' });
		expect(done?.clips).toHaveLength(2);
		// Without the take's length the provider's own check refuses it (422/400), nothing made.
		const { durationSec: _, ...unknownLength } = base;
		const refused = await rejectionOf(studioOf(provider).replaceSection({ ...unknownLength, fromSec: 2, toSec: 10 }));
		expect(refused).toMatchObject({ kind: 'invalid_input', userMessage: expect.stringContaining('half') });
	});

	it('GIVEN your own audio THEN add-vocals and add-instrumental make new song tasks; a model they lack is refused', async () => {
		const { provider } = providerFor(fake);
		const sourceAudioUrl = `${fake.origin}/files/none.mp3`;
		const vocals = await studioOf(provider).addVocals({
			sourceAudioUrl,
			title: 'Mine',
			style: 'soul',
			lyrics: 'Sing it loud',
			model: 'v5',
		});
		expect(fake.requestsOf('add-vocals')[0]?.body).toEqual({
			uploadUrl: sourceAudioUrl,
			title: 'Mine',
			negativeTags: '',
			model: 'V5',
			callBackUrl: 'https://songbot.invalid/no-callback',
			prompt: 'Sing it loud',
			style: 'soul',
		});
		expect((await pollToEnd(provider, vocals.taskId)).at(-1)?.status).toBe('succeeded');
		const noWords = await rejectionOf(
			studioOf(provider).addVocals({ sourceAudioUrl, title: 'Mine', style: 'soul', model: 'v5' }),
		);
		expect(noWords).toMatchObject({ kind: 'invalid_input' });
		const instrumental = await studioOf(provider).addInstrumental({
			sourceAudioUrl,
			title: 'Mine',
			style: 'lofi',
			model: 'v5',
		});
		expect(fake.requestsOf('add-instrumental')[0]?.body).toMatchObject({ tags: 'lofi' });
		expect((await pollToEnd(provider, instrumental.taskId)).at(-1)?.status).toBe('succeeded');
		const oldModel = await rejectionOf(
			studioOf(provider).addInstrumental({ sourceAudioUrl, title: 'Mine', style: 'lofi', model: 'v4' }),
		);
		expect(oldModel).toMatchObject({ kind: 'invalid_input', userMessage: expect.stringContaining('model') });
	});
});
