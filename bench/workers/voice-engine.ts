import { TranscodeCache } from '../../src/voice/cache.ts';
import { createTakeAudio } from '../../src/voice/index.ts';
import { VoiceManager } from '../../src/voice/manager.ts';
import type { Take } from '../../src/voice/types.ts';
import { type PlayHandle, runVoiceWorker } from '../lib/voice-side.ts';
import { CHANNEL } from '../lib/voice-link.ts';

/**
 * Ours, voice side: the bot's voice engine as the Play button drives it (`VoiceManager.play`), with the transcode
 * cache of src/voice: the mp3 is converted to Ogg/Opus once, and every play streams that file's Opus packets as
 * they are (`StreamType.OggOpus`), with no decoding or encoding in the process and no ffmpeg at play time.
 */

runVoiceWorker((input) => {
	const cache = new TranscodeCache({ dir: input.cacheDir, maxBytes: 1024 * 1024 * 1024 });
	const manager = new VoiceManager({
		audio: createTakeAudio({ cache }),
		leaveAfterEndMs: 60_000,
		leaveWhenEmptyMs: 600_000,
	});
	const take: Take = {
		id: 'bench-take',
		title: 'Bench take',
		durationSec: input.takeSec,
		source: { kind: 'file', path: input.takePath },
	};
	const ends = new Map<string, () => void>();
	manager.on('trackEnd', (event) => ends.get(event.guildId)?.());
	return {
		async prepare() {
			await cache.get(take.id, input.takePath);
		},
		play(guildId, adapterCreator): PlayHandle {
			const ended = new Promise<void>((resolve) => ends.set(guildId, resolve));
			manager.play({ guildId, channelId: CHANNEL, adapterCreator }, take, 'bench');
			return { ended, stop: () => manager.get(guildId)?.leave('stopped') };
		},
		describe: () => 'cached Ogg/Opus file → ogg/opus demuxer',
		shutdown: () => manager.destroy(),
	};
});
