import type { Config } from '../config.ts';
import type { CreditWatch } from '../core/credits.ts';
import type { AudioCache } from '../core/ports.ts';
import type { SongProvider } from '../core/provider.ts';
import type { RequestDedupe } from '../core/dedupe.ts';
import type { InFlight } from '../core/inflight.ts';
import type { Quotas } from '../core/quota.ts';
import type { Store } from '../core/store.ts';
import type { Tracker } from '../core/tracker-types.ts';
import type { Logger } from '../log.ts';
import type { VoiceManager } from '../voice/index.ts';
import type { Jams } from './jams.ts';
import type { KaraokeWaits } from './karaoke-wait.ts';
import type { PlayerMessages } from './player-message.ts';
import type { SongOfWeek } from './song-of-week.ts';

/**
 * Everything a command handler may use, built once in the composition root (src/app.ts) and passed to every
 * handler explicitly: no globals, so tests build their own.
 */
export interface Context {
	config: Config;
	log: Logger;
	provider: SongProvider;
	tracker: Tracker;
	store: Store;
	quotas: Quotas;
	/** Caps on unfinished songs per person and per server. */
	inFlight: InFlight;
	/** One request, one charge: identical requests within a minute start one song. */
	dedupe: RequestDedupe;
	voice: VoiceManager;
	/** The downloaded-audio cache (the tracker's): Play fetches a take it no longer has into it again. */
	audio: AudioCache;
	/** One now-playing message per guild, edited in place. */
	playerMessages: PlayerMessages;
	now: () => number;
	/** The weekly "song of the week" post; `/songbot votes` asks it to post at once when a channel is chosen. */
	songOfWeek?: SongOfWeek;
	/** Jam threads (/jam): their sheets in the store, style polls, closing idle ones. */
	jams?: Jams;
	/** Karaoke presses waiting for the split they started (src/discord/karaoke-wait.ts). */
	karaoke?: KaraokeWaits;
	/** Provider credits for admins: balance, low-balance warnings, alerts when songs are refused for credits. */
	credits?: CreditWatch;
}
