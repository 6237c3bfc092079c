import { describe, expect, it } from 'vitest';
import { createProvider } from '../../src/providers/index.ts';

/** Callback bodies as documented or observed (suno-wire-formats.md §4.6, §3.11), parsed without a server. */

const b = createProvider({ family: 'sunoapi', baseUrl: 'http://127.0.0.1:1', apiKey: 'k' });
const a = createProvider({ family: 'newapi', baseUrl: 'http://127.0.0.1:1', apiKey: 'k' });
const id = '3f1c0a6c2b5d4e8f9a0b1c2d3e4f5a6b';

describe('family B callbacks', () => {
	it('GIVEN the observed api.box `first` callback THEN take 1 is complete with its duration and take 2 streaming', () => {
		const body = {
			code: 200,
			msg: 'First audio generated successfully.',
			data: {
				callbackType: 'first',
				task_id: id,
				data: [
					{
						id: 'c1',
						audio_url: 'https://apiboxfiles.erweima.ai/c1.mp3',
						source_audio_url: 'https://cdn1.suno.ai/c1.mp3',
						stream_audio_url: 'https://mfile.erweima.ai/c1',
						source_stream_audio_url: 'https://audiopipe.suno.ai/?item_id=c1',
						image_url: 'https://apiboxfiles.erweima.ai/c1.jpeg',
						prompt: '[Verse]',
						model_name: 'chirp-v3-5',
						title: 'T',
						tags: 'pop',
						createTime: 1758044664461,
						duration: 163.88,
					},
					{
						id: 'c2',
						audio_url: '',
						stream_audio_url: 'https://mfile.erweima.ai/c2',
						title: 'T',
						createTime: 1758044664461,
					},
				],
			},
		};
		const [update] = b.parseCallback(body);
		expect(update?.snapshot).toMatchObject({ taskId: id, kind: 'music', status: 'partial' });
		expect(update?.snapshot.clips).toEqual([
			expect.objectContaining({
				id: 'c1',
				state: 'complete',
				durationSec: 163.88,
				createdAt: 1758044664461,
				audioUrl: 'https://apiboxfiles.erweima.ai/c1.mp3',
			}),
			expect.objectContaining({ id: 'c2', state: 'streaming', streamUrl: 'https://mfile.erweima.ai/c2' }),
		]);
		expect(update?.snapshot.clips[1]?.audioUrl).toBeUndefined();
	});

	it('GIVEN a `text` callback whose data is null, [] or empty-URL items THEN running with nothing to play', () => {
		for (const data of [null, [], [{ id: 'c1', audio_url: '', stream_audio_url: '', prompt: 'la' }]]) {
			const [update] = b.parseCallback({
				code: 200,
				msg: 'Text generated successfully',
				data: { callbackType: 'text', task_id: id, data },
			});
			expect(update?.snapshot.status).toBe('running');
			expect(update?.snapshot.clips.every((c) => c.state === 'pending')).toBe(true);
		}
	});

	it('GIVEN the error stage (or api.box `failed`) THEN failed with a clear reason; code 413 is a content-policy refusal', () => {
		const [error] = b.parseCallback({
			code: 501,
			msg: 'Audio generation failed.',
			data: { callbackType: 'error', task_id: id, error: 'Generation failed due to technical issues' },
		});
		expect(error?.snapshot).toMatchObject({
			status: 'failed',
			failureReason: 'the provider could not generate the audio: try again, perhaps with other words or style',
		});
		expect(error?.snapshot.failureKind).toBeUndefined();
		const [matched] = b.parseCallback({
			code: 413,
			msg: 'Uploaded audio matches existing work',
			data: { callbackType: 'failed', task_id: id },
		});
		expect(matched?.snapshot).toMatchObject({ status: 'failed', failureKind: 'content_policy' });
	});

	it('GIVEN lyrics callbacks with `taskId` (sunoapi) or `task_id` + error_message (kie) THEN lyrics or a failure', () => {
		const [ok] = b.parseCallback({
			code: 200,
			msg: 'All generated successfully.',
			data: {
				callbackType: 'complete',
				taskId: id,
				data: [{ text: '[Verse] hi', title: 'Hi', status: 'complete', errorMessage: '' }],
			},
		});
		expect(ok?.snapshot).toMatchObject({
			taskId: id,
			kind: 'lyrics',
			status: 'succeeded',
			lyrics: [{ title: 'Hi', text: '[Verse] hi' }],
		});
		const [failed] = b.parseCallback({
			code: 200,
			msg: 'done',
			data: {
				callbackType: 'complete',
				task_id: id,
				data: [{ text: '', title: '', status: 'failed', error_message: 'sensitive words' }],
			},
		});
		expect(failed?.snapshot).toMatchObject({
			kind: 'lyrics',
			status: 'failed',
			failureReason: 'sensitive words',
			failureKind: 'content_policy',
		});
	});

	it('GIVEN a cover-art callback, or no task id THEN a protocol error (not ours to track); a WAV callback is a tool result', () => {
		expect(
			b.parseCallback({ code: 200, msg: 'success', data: { audioWavUrl: 'https://x/a.wav', task_id: id } }),
		).toEqual([
			{
				snapshot: {
					taskId: id,
					kind: 'wav',
					status: 'succeeded',
					clips: [{ id: 'wav', title: 'WAV', state: 'complete', audioUrl: 'https://x/a.wav' }],
				},
			},
		]);
		for (const body of [
			{ code: 200, msg: 'success', data: { taskId: id, images: ['https://x/a.png'] } },
			{ code: 200, data: { callbackType: 'complete' } },
			'nonsense',
		]) {
			expect(() => b.parseCallback(body)).toThrow(expect.objectContaining({ kind: 'protocol' }));
		}
	});
});

describe('family A notify_hook', () => {
	it('GIVEN a TaskDto array in a wrapper THEN one update per task', () => {
		const task = (n: number) => ({
			task_id: `t${n}`,
			status: 'IN_PROGRESS',
			progress: '0%',
			data: [{ id: `c${n}`, status: 'streaming', audio_url: 'https://audiopipe.suno.ai/?item_id=x' }],
		});
		const updates = a.parseCallback({ code: 'success', message: '', data: [task(1), task(2)] });
		expect(updates.map((u) => [u.snapshot.taskId, u.snapshot.status, u.snapshot.clips[0]?.state])).toEqual([
			['t1', 'running', 'streaming'],
			['t2', 'running', 'streaming'],
		]);
	});
});
