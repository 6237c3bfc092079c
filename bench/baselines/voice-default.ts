import {
	AudioPlayerStatus,
	type AudioResource,
	createAudioPlayer,
	createAudioResource,
	joinVoiceChannel,
	StreamType,
	VoiceConnectionStatus,
} from '@discordjs/voice';
import { createReadStream } from 'node:fs';
import prism from 'prism-media';
import { TranscodeCache } from '../../src/voice/cache.ts';
import { type PlayHandle, runVoiceWorker } from '../lib/voice-side.ts';
import { CHANNEL } from '../lib/voice-link.ts';

/**
 * The baselines we replace: how most music bots play a file, with @discordjs/voice as its guide shows, on every play.
 * - `default`: `createAudioResource(mp3Path)`. The library spawns ffmpeg for each play and picks its cheapest
 *   pipeline: when the system ffmpeg has libopus (as here) ffmpeg decodes and encodes to Ogg/Opus itself and the
 *   process demuxes; otherwise ffmpeg decodes to PCM and the process encodes.
 * - `pcm`: that second pipeline, forced (ffmpeg → 48 kHz s16le PCM with the library's own arguments, Opus-encoded
 *   in this process by prism-media with opusscript, the encoder a bot without native build tools gets). This is the
 *   path the issue describes.
 * - `previous`: ours before issue 18, for the voice targets of that issue: the cached Ogg/Opus file played as it
 *   is (`StreamType.OggOpus`), through the library alone, which seals every packet with the raw key bytes.
 */

// @discordjs/voice's FFMPEG_PCM_ARGUMENTS.
const PCM_ARGS = ['-analyzeduration', '0', '-loglevel', '0', '-f', 's16le', '-ar', '48000', '-ac', '2'];

function resourceFor(variant: 'default' | 'pcm' | 'previous', path: string): AudioResource {
	if (variant === 'default') return createAudioResource(path);
	if (variant === 'previous') return createAudioResource(createReadStream(path), { inputType: StreamType.OggOpus });
	return createAudioResource(new prism.FFmpeg({ args: ['-i', path, ...PCM_ARGS] }), { inputType: StreamType.Raw });
}

runVoiceWorker((input) => {
	const variant = input.variant ?? 'default';
	const connections = new Set<{ destroy(): void; state: { status: string } }>();
	const pipelines = new Set<string>();
	const cache = new TranscodeCache({ dir: input.cacheDir, maxBytes: 1024 * 1024 * 1024 });
	let oggPath = '';
	return {
		async prepare() {
			if (variant === 'previous') oggPath = await cache.get('bench-take', input.takePath);
		},
		play(guildId, adapterCreator): PlayHandle {
			const connection = joinVoiceChannel({ guildId, channelId: CHANNEL, adapterCreator, selfDeaf: true });
			connections.add(connection);
			connection.on('error', () => {});
			const player = createAudioPlayer();
			player.on('error', () => {});
			connection.subscribe(player);
			const resource = resourceFor(variant, variant === 'previous' ? oggPath : input.takePath);
			pipelines.add(resource.edges.map((edge) => edge.type).join(' → '));
			player.play(resource);
			const ended = new Promise<void>((resolve) => player.once(AudioPlayerStatus.Idle, () => resolve()));
			return {
				ended,
				stop() {
					player.stop(true);
					if (connection.state.status !== VoiceConnectionStatus.Destroyed) connection.destroy();
				},
			};
		},
		describe: () => [...pipelines].join('; '),
		shutdown() {
			for (const connection of connections) {
				if (connection.state.status !== VoiceConnectionStatus.Destroyed) connection.destroy();
			}
		},
	};
});
