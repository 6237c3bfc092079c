import type { Config } from '../config.ts';
import type { CreditWatch } from '../core/credits.ts';
import type { SongProvider } from '../core/provider.ts';
import type { Quotas } from '../core/quota.ts';
import type { Store } from '../core/store.ts';
import type { Tracker } from '../core/tracker-types.ts';
import type { Logger } from '../log.ts';
import type { VoiceManager } from '../voice/index.ts';
import type { PlayerMessages } from './player-message.ts';

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
	voice: VoiceManager;
	/** One now-playing message per guild, edited in place. */
	playerMessages: PlayerMessages;
	now: () => number;
	/** Provider credits for admins: balance, low-balance warnings, alerts when songs are refused for credits. */
	credits?: CreditWatch;
}
