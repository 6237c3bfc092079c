export { createTakeAudio, type TakeAudio, type TakeAudioOptions } from './audio.ts';
export { TranscodeCache, type TranscodeCacheOptions, type TranscodeCacheStats } from './cache.ts';
export { type ConnectionPolicy, DEFAULT_CONNECTION_POLICY } from './connection.ts';
export { FfmpegMissingError, PlaybackError, type PlaybackFailure } from './errors.ts';
export { type PlayResult, VoiceManager, type VoiceManagerOptions, type VoiceTarget } from './manager.ts';
export { GuildPlayer, type GuildPlayerOptions } from './player.ts';
export type * from './types.ts';
