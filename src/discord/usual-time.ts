import { ESTIMATE_SAMPLES, usualDurationMs } from '../core/estimate.ts';
import type { Store } from '../core/store.ts';
import type { Logger } from '../log.ts';
import { withRoom } from './bounded.ts';

/** How long a guild's estimate is reused before its recent songs are read again. */
const ESTIMATE_TTL_MS = 60_000;

/**
 * How long songs usually take in each guild ("usually about 40 s" on the card), read from its library at most
 * once a minute: the sink re-renders a card every few seconds, and reading recent songs on each would cost more
 * than the whole render. An estimate that cannot be read is simply not shown.
 */
export class UsualTimes {
	readonly #store: Store;
	readonly #log: Logger;
	readonly #now: () => number;
	/** Per guild: how long its songs usually take, and when that was read. */
	readonly #usual = new Map<string, { at: number; ms: number | undefined }>();

	constructor(store: Store, log: Logger, now: () => number) {
		this.#store = store;
		this.#log = log;
		this.#now = now;
	}

	async of(guildId: string): Promise<number | undefined> {
		const cached = this.#usual.get(guildId);
		if (cached && this.#now() - cached.at < ESTIMATE_TTL_MS) return cached.ms;
		let ms: number | undefined;
		try {
			ms = usualDurationMs(await this.#store.listLibrary(guildId, { limit: ESTIMATE_SAMPLES }));
		} catch (error) {
			this.#log.debug({ err: error, guildId }, 'could not read recent songs for the estimate');
		}
		withRoom(this.#usual).set(guildId, { at: this.#now(), ms });
		return ms;
	}
}
