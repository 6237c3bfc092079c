import type { ExtendRequest, GenerateRequest, ModelId } from '../core/provider.ts';
import { createProvider, type Provider, parseFeatures, VARIANTS, type Variant } from '../providers/index.ts';
import type { ExitCode } from './exit.ts';
import { UsageError } from './exit.ts';
import { connectionOf, readLyrics, required, seconds, text, type Values, vocal } from './options.ts';
import { type Io, type RunSettings, reportError, submitAndWait } from './run.ts';

/** generate, extend, lyrics and concat: options → provider request → submitAndWait. */

type Env = Record<string, string | undefined>;

export interface CommandContext {
	values: Values;
	env: Env;
	io: Io;
}

export function settingsOf(values: Values, env: Env): RunSettings {
	const maxMb = Number(env.AUDIO_MAX_MB ?? 50);
	return {
		json: values.json === true,
		timeoutMs: seconds(values, 'timeout', 600) * 1000,
		pollMs: seconds(values, 'poll-interval', 5) * 1000,
		out: text(values, 'out') ?? '.',
		maxBytes: (Number.isFinite(maxMb) && maxMb > 0 ? maxMb : 50) * 1024 * 1024,
	};
}

export function providerOf(values: Values, env: Env): { provider: Provider; model: ModelId } {
	const connection = connectionOf(values, env);
	const retryBase = Number(env.SONGBOT_RETRY_BASE_MS);
	const provider = createProvider({
		family: connection.family,
		baseUrl: connection.baseUrl,
		apiKey: connection.apiKey,
		model: connection.model,
		declaredModels: env.SUNO_MODELS,
		...((VARIANTS as readonly string[]).includes(env.SUNO_VARIANT ?? '')
			? { variant: env.SUNO_VARIANT as Variant }
			: {}),
		features: featuresOf(env),
		...(Number.isFinite(retryBase) && retryBase > 0 ? { retry: { baseDelayMs: retryBase } } : {}),
	});
	// createProvider already refused an unknown --model / SUNO_MODEL (invalid input, nothing sent).
	return { provider, model: provider.capabilities.defaultModel };
}

function featuresOf(env: Env): ReturnType<typeof parseFeatures> {
	try {
		return parseFeatures(env.SUNO_FEATURES);
	} catch (error) {
		throw new UsageError(`SUNO_FEATURES: ${error instanceof Error ? error.message : String(error)}`);
	}
}

/** Runs `body` and turns anything thrown before a task exists into the right exit code. */
export async function guarded(ctx: CommandContext, body: () => Promise<ExitCode>): Promise<ExitCode> {
	try {
		return await body();
	} catch (error) {
		return reportError(ctx.io, ctx.values.json === true, error);
	}
}

interface CustomFields {
	lyrics?: string;
	style?: string;
	title?: string;
	negativeStyle?: string;
	vocalGender?: 'f' | 'm';
	instrumental?: boolean;
}

function customFields(values: Values): CustomFields {
	const fields: CustomFields = {};
	const lyricsText = readLyrics(values);
	if (lyricsText !== undefined) fields.lyrics = lyricsText;
	const style = text(values, 'style');
	if (style !== undefined) fields.style = style;
	const title = text(values, 'title');
	if (title !== undefined) fields.title = title;
	const negative = text(values, 'negative-tags');
	if (negative !== undefined) fields.negativeStyle = negative;
	const gender = vocal(values);
	if (gender !== undefined) fields.vocalGender = gender;
	if (values.instrumental === true) fields.instrumental = true;
	return fields;
}

export function generate(ctx: CommandContext): Promise<ExitCode> {
	return guarded(ctx, async () => {
		const settings = settingsOf(ctx.values, ctx.env);
		const description = text(ctx.values, 'description');
		const fields = customFields(ctx.values);
		if (description !== undefined && fields.lyrics !== undefined) {
			throw new UsageError('give either --description or --lyrics-file, not both');
		}
		if (description === undefined && fields.lyrics === undefined && !fields.instrumental) {
			throw new UsageError('say what to make: --description D, or --lyrics-file F with --style S and --title T');
		}
		const { provider, model } = providerOf(ctx.values, ctx.env);
		const request: GenerateRequest =
			description !== undefined
				? { mode: 'describe', description, model, ...fields }
				: { mode: 'custom', model, ...fields };
		provider.validate(request);
		return submitAndWait(provider, 'music', () => provider.generate(request), settings, ctx.io);
	});
}

export function extend(ctx: CommandContext): Promise<ExitCode> {
	return guarded(ctx, async () => {
		const settings = settingsOf(ctx.values, ctx.env);
		const clipId = required(ctx.values, 'clip', 'the take to extend');
		const taskId = text(ctx.values, 'task');
		const at = seconds(ctx.values, 'at', Number.NaN);
		if (Number.isNaN(at)) throw new UsageError('missing --at (seconds into the take to continue from)');
		const { provider, model } = providerOf(ctx.values, ctx.env);
		const request: ExtendRequest = {
			source: taskId === undefined ? { clipId } : { taskId, clipId },
			continueAtSec: at,
			model,
			...customFields(ctx.values),
			...(ctx.values.uploaded === true ? { uploaded: true } : {}),
		};
		provider.validate(request);
		return submitAndWait(provider, 'music', () => provider.extend(request), settings, ctx.io);
	});
}

export function lyrics(ctx: CommandContext): Promise<ExitCode> {
	return guarded(ctx, async () => {
		const settings = settingsOf(ctx.values, ctx.env);
		const prompt = required(ctx.values, 'prompt', 'what the lyrics should be about');
		const { provider } = providerOf(ctx.values, ctx.env);
		return submitAndWait(provider, 'lyrics', () => provider.lyrics(prompt), settings, ctx.io);
	});
}

export function concat(ctx: CommandContext): Promise<ExitCode> {
	return guarded(ctx, async () => {
		const settings = settingsOf(ctx.values, ctx.env);
		const clipId = required(ctx.values, 'clip', 'the extended take to join into the full song');
		const taskId = text(ctx.values, 'task');
		const { provider } = providerOf(ctx.values, ctx.env);
		const source = taskId === undefined ? { clipId } : { taskId, clipId };
		return submitAndWait(provider, 'concat', () => provider.concat(source), settings, ctx.io);
	});
}
