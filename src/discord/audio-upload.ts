import { setTimeout as delay } from 'node:timers/promises';
import { ProviderError, UserError } from '../core/errors.ts';
import type { SongProvider, TaskSnapshot } from '../core/provider.ts';
import { msg } from '../i18n/index.ts';

/** The provider's copy of an uploaded file: the clip an extension continues. */
export interface UploadedClip {
	taskId: string;
	clipId: string;
	durationSec?: number;
}

export interface UploadWait {
	/** Time between status requests while the provider processes the file. */
	intervalMs: number;
	/** How long to wait in all before telling the person it did not work out. */
	timeoutMs: number;
	sleep?: (ms: number) => Promise<void>;
	now?: () => number;
}

/**
 * Hands an audio URL to the provider and waits (bounded) until it is a clip that can be extended. Uploads are
 * short and not songs: they are not tracked, counted against quotas or listed. Family B answers with a finished
 * task at once; family A's reseller gateways answer with a task id to poll.
 * @throws UserError when the provider rejects the file or does not finish in time; ProviderError as the adapter does.
 */
export async function uploadAudio(
	provider: Pick<SongProvider, 'upload' | 'fetch'>,
	url: string,
	wait: UploadWait,
): Promise<UploadedClip> {
	const sleep = wait.sleep ?? ((ms: number) => delay(ms));
	const now = wait.now ?? Date.now;
	const deadline = now() + wait.timeoutMs;
	const submitted = await provider.upload(url);
	let snapshot = submitted.snapshot;
	for (;;) {
		const clip = snapshot && finishedClip(snapshot);
		if (clip) return { taskId: submitted.taskId, clipId: clip.id, ...duration(clip.durationSec) };
		if (now() >= deadline)
			throw new UserError(
				'upload.timeout',
				msg('error.upload.timeout', { seconds: Math.round(wait.timeoutMs / 1000) }),
			);
		await sleep(wait.intervalMs);
		try {
			snapshot = (await provider.fetch([{ taskId: submitted.taskId, kind: 'upload' }])).get(submitted.taskId);
		} catch (error) {
			// A passing outage while we wait is no reason to give up before the deadline.
			if (!(error instanceof ProviderError && error.retryable)) throw error;
		}
	}
}

function finishedClip(snapshot: TaskSnapshot) {
	if (snapshot.status === 'failed') throw new UserError('upload.failed', msg('error.upload.failed'));
	if (snapshot.status !== 'succeeded' && snapshot.status !== 'partial') return undefined;
	return snapshot.clips.find((c) => c.state === 'complete');
}

function duration(sec: number | undefined): { durationSec?: number } {
	return sec !== undefined && sec > 0 ? { durationSec: sec } : {};
}
