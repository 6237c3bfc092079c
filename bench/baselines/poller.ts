import { runWorker } from '../lib/ipc.ts';
import {
	heapProbe,
	type Posted,
	SONG,
	submitSpread,
	type TrafficInput,
	type TrafficResult,
	until,
} from '../lib/traffic.ts';
import { startUsage } from '../lib/usage.ts';

/**
 * The baseline we replace: what music bots typically do once a generation is submitted. Every task gets its own
 * `setInterval` of 5 s asking for that one task's status (family A `GET /suno/fetch/{id}`, family B
 * `GET /api/v1/generate/record-info?taskId=`), and posts both takes when the task has finished. No batching, no
 * back-off, no callbacks (family B still has to name a callBackUrl; it points at a sink that ignores them).
 */

const POLL_MS = 5_000;
const FINAL_A = new Set(['SUCCESS', 'FAILURE']);
const FINAL_B = new Set([
	'SUCCESS',
	'CREATE_TASK_FAILED',
	'GENERATE_AUDIO_FAILED',
	'CALLBACK_EXCEPTION',
	'SENSITIVE_WORD_ERROR',
]);

interface Family {
	submit(input: TrafficInput, i: number): { path: string; body: unknown };
	taskId(body: unknown): string;
	status(input: TrafficInput, id: string): string;
	/** The clip ids when finished, else undefined. */
	finished(body: unknown): string[] | undefined;
}

type Json = Record<string, unknown> | undefined;
const data = (body: unknown): Json => (body as { data?: Json } | undefined)?.data;

const families: Record<TrafficInput['family'], Family> = {
	newapi: {
		submit: (_, i) => ({
			path: '/suno/submit/music',
			body: { prompt: SONG.lyrics, tags: SONG.style, title: `${SONG.title} ${i}`, mv: 'chirp-crow' },
		}),
		taskId: (body) => String((body as { data?: unknown }).data),
		status: (_, id) => `/suno/fetch/${encodeURIComponent(id)}`,
		finished(body) {
			const task = data(body);
			if (!FINAL_A.has(String(task?.status))) return undefined;
			return (Array.isArray(task?.data) ? task.data : []).map((clip: { id?: unknown }) => String(clip.id));
		},
	},
	sunoapi: {
		submit: (input, i) => ({
			path: '/api/v1/generate',
			body: {
				customMode: true,
				instrumental: false,
				model: 'V5',
				prompt: SONG.lyrics,
				style: SONG.style,
				title: `${SONG.title} ${i}`,
				callBackUrl: input.ignoredCallbackUrl,
			},
		}),
		taskId: (body) => String(data(body)?.taskId),
		status: (_, id) => `/api/v1/generate/record-info?taskId=${encodeURIComponent(id)}`,
		finished(body) {
			const record = data(body);
			if (!FINAL_B.has(String(record?.status))) return undefined;
			const items = (record?.response as { sunoData?: { id?: unknown }[] } | null)?.sunoData ?? [];
			return items.map((item) => String(item.id));
		},
	},
};

runWorker<TrafficInput, TrafficResult>(async (input) => {
	const family = families[input.family];
	const headers = { authorization: `Bearer ${input.apiKey}`, 'content-type': 'application/json' };
	const posted: Posted[] = [];
	const polling = new Map<string, NodeJS.Timeout>();
	let statusRequests = 0;
	let done = 0;

	const poll = async (id: string) => {
		statusRequests++;
		try {
			const res = await fetch(`${input.baseUrl}${family.status(input, id)}`, { headers });
			const clips = family.finished(await res.json());
			if (!clips || !polling.has(id)) return;
			clearInterval(polling.get(id));
			polling.delete(id);
			done++;
			const at = Date.now();
			for (const clipId of clips) posted.push({ taskId: id, clipId, at });
		} catch {
			// A naive poller just tries again on the next tick.
		}
	};

	const usage = startUsage();
	const heap = heapProbe(input.tasks);
	const failedSubmits = await submitSpread(
		input.tasks,
		input.windowMs,
		async (i) => {
			const { path, body } = family.submit(input, i);
			const res = await fetch(`${input.baseUrl}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
			const id = family.taskId(await res.json());
			polling.set(
				id,
				setInterval(() => void poll(id), POLL_MS),
			);
		},
		heap.checkpoint,
	);
	const memory = heap.finish();
	await until(() => done >= input.tasks - failedSubmits, input.deadlineMs);
	for (const timer of polling.values()) clearInterval(timer);
	return {
		posted,
		submitted: input.tasks - failedSubmits,
		failedSubmits,
		...memory,
		usage: await usage.stop(),
		statusRequests,
	};
});
