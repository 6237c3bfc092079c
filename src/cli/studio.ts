import type { TakeRef } from '../core/studio.ts';
import { guarded, providerOf, settingsOf } from './commands.ts';
import type { CommandContext } from './commands.ts';
import { EXIT, type ExitCode, UsageError } from './exit.ts';
import { readLyrics, required, seconds, text, type Values } from './options.ts';
import { report, submitAndWait } from './run.ts';

/**
 * The studio tools from the command line (issue 17), so an operator can try each against the provider before
 * members do: split, wav, video and replace are followed like songs (same exit codes, files saved, `--json`);
 * boost and persona answer at once.
 */

/** Words this file prints (to move into the message catalog with the rest). */
const TEXT = {
	take: 'the take (its task id and clip id, as `generate --json` prints them)',
	noStudio: 'This music provider does not offer the studio tools (only family B, SUNO_PROVIDER=sunoapi, does).',
	boosted: (style: string) => `${style}\n`,
	persona: (id: string, name: string) => `persona ${id} (${name}): use it as the house singer\n`,
} as const;

function takeOf(values: Values): TakeRef {
	const taskId = required(values, 'task', TEXT.take);
	const clipId = required(values, 'clip', TEXT.take);
	return { taskId, clipId };
}

/** The provider and its studio port; a family without one is refused before anything is sent (exit 2). */
function studioOf(ctx: CommandContext) {
	const { provider, model } = providerOf(ctx.values, ctx.env);
	if (provider.studio === undefined) throw new UsageError(TEXT.noStudio);
	return { provider, studio: provider.studio, model };
}

export function split(ctx: CommandContext): Promise<ExitCode> {
	return guarded(ctx, async () => {
		const settings = settingsOf(ctx.values, ctx.env);
		const source = takeOf(ctx.values);
		const { provider, studio } = studioOf(ctx);
		const request = { source, ...(ctx.values.stems === true ? { stems: true } : {}) };
		return submitAndWait(provider, 'split', () => studio.split(request), settings, ctx.io);
	});
}

export function wav(ctx: CommandContext): Promise<ExitCode> {
	return guarded(ctx, async () => {
		const settings = settingsOf(ctx.values, ctx.env);
		const source = takeOf(ctx.values);
		const { provider, studio } = studioOf(ctx);
		return submitAndWait(provider, 'wav', () => studio.wav(source), settings, ctx.io);
	});
}

export function video(ctx: CommandContext): Promise<ExitCode> {
	return guarded(ctx, async () => {
		const settings = settingsOf(ctx.values, ctx.env);
		const source = takeOf(ctx.values);
		const author = text(ctx.values, 'author');
		const { provider, studio } = studioOf(ctx);
		return submitAndWait(provider, 'video', () => studio.video(source, author ? { author } : {}), settings, ctx.io);
	});
}

export function replace(ctx: CommandContext): Promise<ExitCode> {
	return guarded(ctx, async () => {
		const settings = settingsOf(ctx.values, ctx.env);
		const source = takeOf(ctx.values);
		const lyrics = readLyrics(ctx.values);
		if (lyrics === undefined) throw new UsageError('missing --lyrics-file (the words to sing in the section)');
		const fromSec = Number(required(ctx.values, 'from', 'where the section starts, in seconds'));
		const toSec = seconds(ctx.values, 'to', Number.NaN);
		if (!Number.isFinite(fromSec) || fromSec < 0) throw new UsageError('--from must be a number of seconds');
		if (Number.isNaN(toSec)) throw new UsageError('missing --to (where the section ends, in seconds)');
		const duration = seconds(ctx.values, 'duration', Number.NaN);
		const { provider, studio } = studioOf(ctx);
		const request = {
			source,
			lyrics,
			style: required(ctx.values, 'style', "the take's style"),
			title: required(ctx.values, 'title', "the take's title"),
			fromSec,
			toSec,
			...(Number.isNaN(duration) ? {} : { durationSec: duration }),
		};
		return submitAndWait(provider, 'music', () => studio.replaceSection(request), settings, ctx.io);
	});
}

export function boost(ctx: CommandContext): Promise<ExitCode> {
	return guarded(ctx, async () => {
		const style = required(ctx.values, 'style', 'a short style to expand, e.g. "sad synthwave"');
		const { studio } = studioOf(ctx);
		const boosted = await studio.boostStyle(style);
		const json = ctx.values.json === true;
		if (!json) ctx.io.stdout.write(TEXT.boosted(boosted));
		return report(ctx.io, json, { taskId: null, status: 'succeeded', clips: [], style: boosted }, EXIT.ok);
	});
}

export function persona(ctx: CommandContext): Promise<ExitCode> {
	return guarded(ctx, async () => {
		const source = takeOf(ctx.values);
		const name = required(ctx.values, 'name', "the singer's name");
		const description = required(ctx.values, 'description', 'what the voice is like');
		const start = text(ctx.values, 'vocal-start');
		const end = text(ctx.values, 'vocal-end');
		const window = {
			...(start === undefined ? {} : { vocalStartSec: Number(start) }),
			...(end === undefined ? {} : { vocalEndSec: Number(end) }),
		};
		if (Object.values(window).some((v) => !Number.isFinite(v))) {
			throw new UsageError('--vocal-start and --vocal-end must be numbers of seconds');
		}
		const { studio } = studioOf(ctx);
		const made = await studio.persona({ source, name, description, ...window });
		const json = ctx.values.json === true;
		if (!json) ctx.io.stdout.write(TEXT.persona(made.id, made.name));
		return report(ctx.io, json, { taskId: null, status: 'succeeded', clips: [], persona: made }, EXIT.ok);
	});
}
