import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GuildPremiumTier, type SendableChannels } from 'discord.js';
import { fitAudio } from '../audio/fit.ts';
import type { ClipRecord, TaskRecord } from '../core/records.ts';
import { takeFileName } from '../core/take-name.ts';
import type { Logger } from '../log.ts';
import { fileName } from './views/format.ts';
import type { TakeView } from './views/take.ts';

/** Bytes per file a bot may upload in a guild of each boost tier (MB, the smaller reading of the tiers). */
const TIER_LIMIT: Record<number, number> = {
	[GuildPremiumTier.Tier2]: 50_000_000,
	[GuildPremiumTier.Tier3]: 100_000_000,
};
const DEFAULT_LIMIT = 10 * 1024 * 1024;
export const TOO_LARGE = 'This take is too large for this server’s upload limit, even re-encoded.';

export interface TakeAudio {
	audio: TakeView['audio'];
	/** The file to attach (none when the take goes as a link), with its size. */
	files: { attachment: string; name: string; bytes: number }[];
	/** The server's upload limit, which the files of one message must fit together. */
	limit: number;
}

/** Bytes a message may upload in the task's channel: the limit the bot learnt from Discord, else its boost tier's. */
export function uploadLimit(task: TaskRecord, channel: SendableChannels): number {
	const tierLimit =
		'guild' in channel && channel.guild ? (TIER_LIMIT[channel.guild.premiumTier] ?? DEFAULT_LIMIT) : DEFAULT_LIMIT;
	return task.place.uploadLimitBytes ?? tierLimit;
}

/** A take's audio made to fit the server's upload limit (src/audio/fit.ts), or a link when it cannot. */
export async function takeAudio(
	task: TaskRecord,
	clip: ClipRecord,
	channel: SendableChannels,
	work: string,
	log: Logger,
): Promise<TakeAudio> {
	const url = clip.audioUrl ?? clip.streamUrl ?? '';
	const limit = uploadLimit(task, channel);
	const reason = clip.audioRefused ?? 'The bot could not download this take.';
	if (!clip.file) return { audio: { kind: 'link', url, reason }, files: [], limit };
	const name = fileName(takeFileName(task, clip), '', 'mp3');
	const fit = await fitAudio(clip.file.path, limit, join(work, 'fit.mp3'));
	if (fit.kind === 'original')
		return { audio: { kind: 'original' }, files: [{ attachment: fit.file, name, bytes: fit.bytes }], limit };
	if (fit.kind === 'transcoded')
		return {
			audio: { kind: 'transcoded', bitrateKbps: fit.bitrateKbps },
			files: [{ attachment: fit.file, name, bytes: fit.bytes }],
			limit,
		};
	log.info({ taskId: task.id, clipId: clip.id, bytes: fit.bytes, limit }, 'take too large to attach');
	return { audio: { kind: 'link', url, reason: TOO_LARGE }, files: [], limit };
}

/** Runs `work` in a temporary directory of its own (for audio fitted to the upload limit), removed afterwards. */
export async function inWorkDir<T>(prefix: string, work: (dir: string) => Promise<T>): Promise<T> {
	const dir = await mkdtemp(join(tmpdir(), prefix));
	try {
		return await work(dir);
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
}
