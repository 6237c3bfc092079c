import { resolve } from 'node:path';
import type { ProviderError } from '../core/errors.ts';
import type { SongProvider, Submitted, TaskKind, TaskSnapshot } from '../core/provider.ts';
import { DownloadError, downloadClip, fileNameFor } from './download.ts';
import { EXIT, type ExitCode, outcomeOf } from './exit.ts';
import { clock, progressReporter, progressText, waitForTask } from './wait.ts';

/** Submit, wait with live progress, download the finished takes, and report in words or JSON. */

export interface Io {
	stdout: NodeJS.WriteStream;
	stderr: NodeJS.WriteStream;
}

export interface RunSettings {
	json: boolean;
	timeoutMs: number;
	pollMs: number;
	out: string;
	maxBytes: number;
}

export interface JsonClip {
	id: string;
	title: string | null;
	durationSec: number | null;
	audioUrl: string | null;
	file: string | null;
	/** Studio tools: a split's part name, a video's link. */
	stem?: string;
	videoUrl?: string;
}

/** The one object `--json` prints on stdout. */
export interface JsonResult {
	taskId: string | null;
	status: string;
	clips: JsonClip[];
	lyrics?: { title: string; text: string }[];
	/** boost: the expanded style; persona: the singer made. */
	style?: string;
	persona?: { id: string; name: string; description: string };
	error?: { kind: string; message: string };
}

export function report(io: Io, json: boolean, result: JsonResult, code: ExitCode): ExitCode {
	if (json) io.stdout.write(`${JSON.stringify(result)}\n`);
	if (result.error) io.stderr.write(`songbot: ${result.error.message}\n`);
	return code;
}

/** Reports an error raised before a task existed (bad input, rejected submit). */
export function reportError(io: Io, json: boolean, error: unknown): ExitCode {
	const outcome = outcomeOf(error);
	return report(
		io,
		json,
		{ taskId: null, status: outcome.status, clips: [], error: { kind: outcome.kind, message: outcome.message } },
		outcome.code,
	);
}

function failureMessage(snapshot: TaskSnapshot): string {
	const reason = snapshot.failureReason ? `: ${snapshot.failureReason}` : '';
	const kept = snapshot.clips.filter((c) => c.state === 'complete').length;
	const partial = kept > 0 ? ` (${kept} of ${snapshot.clips.length} takes finished and were kept)` : '';
	if (snapshot.failureKind === 'content_policy')
		return `the provider refused the song under its content policy${reason}${partial}`;
	return `the generation failed${reason}${partial}`;
}

export async function submitAndWait(
	provider: SongProvider,
	kind: TaskKind,
	submit: () => Promise<Submitted>,
	settings: RunSettings,
	io: Io,
): Promise<ExitCode> {
	let submitted: Submitted;
	try {
		submitted = await submit();
	} catch (error) {
		return reportError(io, settings.json, error);
	}
	const started = Date.now();
	const progress = progressReporter(io.stderr);
	const ref = { taskId: submitted.taskId, kind };
	let waited: Awaited<ReturnType<typeof waitForTask>>;
	try {
		waited = await waitForTask(provider, ref, {
			timeoutMs: settings.timeoutMs,
			pollMs: settings.pollMs,
			initial: submitted.snapshot,
			onSnapshot: (s) => progress.update(progressText(s), `[${clock(Date.now() - started)}] ${progressText(s)}`),
			onWarning: (e: ProviderError) =>
				progress.update(`warn ${e.kind}`, `[${clock(Date.now() - started)}] still trying: ${e.userMessage}`),
		});
	} catch (error) {
		progress.end();
		const outcome = outcomeOf(error);
		const result = {
			taskId: ref.taskId,
			status: outcome.status,
			clips: [],
			error: { kind: outcome.kind, message: outcome.message },
		};
		return report(io, settings.json, result, outcome.code);
	}
	progress.end();
	const snapshot = waited.snapshot;
	const result: JsonResult = { taskId: ref.taskId, status: snapshot?.status ?? 'queued', clips: [] };
	if (snapshot?.lyrics) result.lyrics = snapshot.lyrics;
	let code: ExitCode = EXIT.ok;
	if (waited.timedOut) {
		result.status = 'timeout';
		const seconds = Number((settings.timeoutMs / 1000).toFixed(1));
		result.error = {
			kind: 'timeout',
			message: `task ${ref.taskId} did not finish within ${seconds} s (it may still finish at the provider)`,
		};
		code = EXIT.failed;
	} else if (snapshot?.status === 'failed') {
		result.error = { kind: snapshot.failureKind ?? 'generation_failed', message: failureMessage(snapshot) };
		code = snapshot.failureKind === 'content_policy' ? EXIT.rejected : EXIT.failed;
	}
	if (snapshot && !waited.timedOut) {
		try {
			result.clips = await saveClips(snapshot, settings, io);
		} catch (error) {
			const message = error instanceof DownloadError ? error.message : String(error);
			result.error = { kind: 'download', message: `a take finished but could not be saved: ${message}` };
			code = EXIT.other;
		}
	}
	if (!settings.json && result.lyrics) {
		for (const l of result.lyrics) io.stdout.write(`# ${l.title}\n\n${l.text.trim()}\n\n`);
	}
	return report(io, settings.json, result, code);
}

async function saveClips(snapshot: TaskSnapshot, settings: RunSettings, io: Io): Promise<JsonClip[]> {
	const clips: JsonClip[] = [];
	for (const [index, clip] of snapshot.clips.entries()) {
		let file: string | null = null;
		if (clip.state === 'complete' && clip.audioUrl) {
			file = resolve(
				await downloadClip(clip.audioUrl, settings.out, fileNameFor(clip, index), {
					maxBytes: settings.maxBytes,
					timeoutMs: 120_000,
				}),
			);
			if (!settings.json) {
				const duration = clip.durationSec === undefined ? '' : `, ${clip.durationSec.toFixed(1)} s`;
				io.stdout.write(`saved ${file} (${clip.title ?? 'untitled'}${duration})\n`);
			}
		}
		if (clip.videoUrl && !settings.json) io.stdout.write(`video ${clip.videoUrl}\n`);
		clips.push({
			id: clip.id,
			title: clip.title ?? null,
			durationSec: clip.durationSec ?? null,
			audioUrl: clip.audioUrl ?? null,
			file,
			...(clip.stem ? { stem: clip.stem } : {}),
			...(clip.videoUrl ? { videoUrl: clip.videoUrl } : {}),
		});
	}
	return clips;
}
