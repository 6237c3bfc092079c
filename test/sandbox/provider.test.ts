import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulatedProvider } from '../../sandbox/provider.ts';
import type { FakeProvider } from '../doubles/providers/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'sandbox-provider-'));
let fake: FakeProvider;

beforeAll(async () => {
	fake = await startSimulatedProvider({ family: 'newapi', dir, stepMs: 60_000 });
});

afterAll(async () => {
	await fake?.close();
	rmSync(dir, { recursive: true, force: true });
});

async function submit(path: string, body: Record<string, unknown>): Promise<string> {
	const response = await fetch(`${fake.baseUrl}${path}`, {
		method: 'POST',
		headers: { authorization: `Bearer ${fake.apiKey}`, 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	const answer = (await response.json()) as { code: string; data: string };
	expect(answer.code).toBe('success');
	return answer.data;
}

async function download(url: string): Promise<Buffer> {
	const response = await fetch(url);
	expect(response.status).toBe(200);
	return Buffer.from(await response.arrayBuffer());
}

async function probe(path: string): Promise<{ duration: number; title: string }> {
	const { stdout } = await promisify(execFile)('ffprobe', [
		...['-v', 'error', '-show_entries', 'format=duration:format_tags=title', '-of', 'json', path],
	]);
	const format = (JSON.parse(stdout) as { format: { duration: string; tags?: { title?: string } } }).format;
	return { duration: Number(format.duration), title: format.tags?.title ?? '' };
}

describe('the sandbox’s simulated provider', () => {
	it('GIVEN a described song THEN both takes are named and sung from the prompt, with a cover and their own audio', async () => {
		const id = await submit('/suno/submit/music', {
			gpt_description_prompt: 'a lo-fi song about a sleepy cat on a rainy sunday',
			prompt: '',
			mv: 'chirp-v4',
			make_instrumental: false,
		});
		const [one, two] = fake.task(id).clips;
		expect(one?.title).toMatch(/Sleepy Cat|Rainy Sunday/);
		expect(one?.lyrics).toContain('sleepy cat');
		expect(one?.tags).not.toBe('');

		const takes = await Promise.all([one, two].map((clip) => download(`${fake.origin}/files/${clip?.id}.mp3`)));
		expect(takes[0]?.equals(takes[1] as Buffer)).toBe(false);
		for (const [i, clip] of [one, two].entries()) {
			const path = join(dir, `check-${i}.mp3`);
			writeFileSync(path, takes[i] as Buffer);
			const { duration, title } = await probe(path);
			// The length the provider reports is the length of the audio it serves.
			expect(Math.abs(duration - (clip?.durationSec ?? 0))).toBeLessThan(0.5);
			expect(duration).toBeGreaterThan(15);
			expect(title).toBe(clip?.title);
		}
		const cover = await download(`${fake.origin}/files/${one?.id}.png`);
		expect(cover.subarray(1, 4).toString('latin1')).toBe('PNG');
	});

	it('GIVEN an instrumental song with a title THEN the title is kept and nothing is sung', async () => {
		const id = await submit('/suno/submit/music', {
			gpt_description_prompt: 'a happy summer road trip',
			title: 'Highway Lights',
			tags: 'synth-pop',
			mv: 'chirp-v4',
			make_instrumental: true,
		});
		for (const clip of fake.task(id).clips) {
			expect(clip.title).toBe('Highway Lights');
			expect(clip.tags).toBe('synth-pop');
			expect(clip.lyrics).toBe('');
		}
	});

	it('GIVEN a lyrics request THEN two versions are written about its theme', async () => {
		const id = await submit('/suno/submit/lyrics', { prompt: 'our band practising in a garage' });
		const versions = fake.task(id).lyrics ?? [];
		expect(versions).toHaveLength(2);
		expect(versions[0]?.text).not.toBe(versions[1]?.text);
		for (const version of versions) expect(version.text).toMatch(/band|garage/);
	});
});

describe('the sandbox’s simulated provider, family B (its default)', () => {
	const dirB = mkdtempSync(join(tmpdir(), 'sandbox-provider-b-'));
	let b: FakeProvider;
	beforeAll(async () => {
		b = await startSimulatedProvider({ dir: dirB, stepMs: 60_000 });
	});
	afterAll(async () => {
		await b?.close();
		rmSync(dirB, { recursive: true, force: true });
	});

	async function submitB(path: string, body: Record<string, unknown>): Promise<string> {
		const response = await fetch(`${b.baseUrl}${path}`, {
			method: 'POST',
			headers: { authorization: `Bearer ${b.apiKey}`, 'content-type': 'application/json' },
			body: JSON.stringify({ callBackUrl: 'http://127.0.0.1:9/cb', ...body }),
		});
		const answer = (await response.json()) as { code: number; data: { taskId: string } };
		expect(answer.code).toBe(200);
		return answer.data.taskId;
	}

	it('GIVEN a described song in family B’s words THEN the takes are named and sung from its prompt', async () => {
		const id = await submitB('/api/v1/generate', {
			customMode: false,
			prompt: 'a lo-fi song about a sleepy cat on a rainy sunday',
			instrumental: false,
			model: 'V4_5PLUS',
		});
		const [one] = b.task(id).clips;
		expect(one?.title).toMatch(/Sleepy Cat|Rainy Sunday/);
		expect(one?.lyrics).toContain('sleepy cat');
	});

	it('GIVEN a custom instrumental in family B’s words THEN its title and style are kept and nothing is sung', async () => {
		const id = await submitB('/api/v1/generate', {
			customMode: true,
			prompt: '',
			title: 'Highway Lights',
			style: 'synth-pop',
			instrumental: true,
			model: 'V4_5PLUS',
		});
		for (const clip of b.task(id).clips) {
			expect(clip.title).toBe('Highway Lights');
			expect(clip.tags).toBe('synth-pop');
			expect(clip.lyrics).toBe('');
		}
	});
});
