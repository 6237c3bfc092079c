import type { Logger } from '../log.ts';
import type { SongProvider } from './provider.ts';
import type { SettingsStore } from './settings.ts';

/**
 * Provider credits, watched for the servers whose admins asked for it: one warning in the channel they chose
 * when the balance falls below their threshold (before songs start failing), and one alert when a song is
 * refused for lack of credits. Each is posted again only after the balance has recovered.
 */

export interface CreditAlerts {
	channelId: string;
	/** Warn when the balance falls below this many credits. */
	threshold: number;
	/** The low-balance warning was posted (cleared when the balance is back at or above the threshold). */
	warned?: boolean;
	/** The "songs are refused" alert was posted (cleared when the balance is back above zero). */
	alerted?: boolean;
}

const alertsKey = (guildId: string) => `credits:alerts:${guildId}`;
const GUILDS_KEY = 'credits:alert-guilds';

export interface CreditWatchDeps {
	provider: Pick<SongProvider, 'credits' | 'capabilities'>;
	store: SettingsStore;
	/** Posts a message in a channel (no mentions). */
	post(channelId: string, content: string): Promise<void>;
	log: Logger;
}

export class CreditWatch {
	readonly #deps: CreditWatchDeps;
	/** One check at a time: a burst of songs makes one credits request, not one each. */
	#checking: Promise<void> | undefined;

	constructor(deps: CreditWatchDeps) {
		this.#deps = deps;
	}

	/** Whether the provider reports a balance at all. */
	get reported(): boolean {
		return this.#deps.provider.capabilities.credits;
	}

	/** The balance now, or undefined when the provider does not report one. */
	async balance(): Promise<number | undefined> {
		return this.reported ? this.#deps.provider.credits() : undefined;
	}

	async alertsOf(guildId: string): Promise<CreditAlerts | undefined> {
		return (await this.#deps.store.getValue<CreditAlerts | null>(alertsKey(guildId))) ?? undefined;
	}

	/** Sets (or with undefined, removes) a server's warning channel and threshold. */
	async configure(guildId: string, alerts: Pick<CreditAlerts, 'channelId' | 'threshold'> | undefined): Promise<void> {
		const guilds = new Set((await this.#deps.store.getValue<string[]>(GUILDS_KEY)) ?? []);
		if (alerts) guilds.add(guildId);
		else guilds.delete(guildId);
		await this.#deps.store.setValue(GUILDS_KEY, [...guilds]);
		await this.#deps.store.setValue(alertsKey(guildId), alerts ? { ...alerts } : null);
	}

	/** Compares the balance with every server's threshold; called after songs are submitted. */
	check(): Promise<void> {
		this.#checking ??= this.#check().finally(() => {
			this.#checking = undefined;
		});
		return this.#checking;
	}

	/** A song was refused for lack of credits: tell that server's admins once. */
	async refused(guildId: string): Promise<void> {
		const alerts = await this.alertsOf(guildId);
		if (!alerts || alerts.alerted) return;
		await this.#deps.store.setValue(alertsKey(guildId), { ...alerts, alerted: true });
		await this.#deps.post(
			alerts.channelId,
			'⛔ Songs are being refused: the music provider account is out of credits. The bot operator needs to top it up; members are told so when they ask for a song.',
		);
	}

	async #check(): Promise<void> {
		const guilds = (await this.#deps.store.getValue<string[]>(GUILDS_KEY)) ?? [];
		if (guilds.length === 0 || !this.reported) return;
		let balance: number | undefined;
		try {
			balance = await this.balance();
		} catch (err) {
			this.#deps.log.warn({ err }, 'could not read the provider credits');
			return;
		}
		if (balance === undefined) return;
		for (const guildId of guilds) {
			const alerts = await this.alertsOf(guildId);
			if (!alerts) continue;
			const low = balance < alerts.threshold;
			const next: CreditAlerts = { ...alerts, warned: low, alerted: balance > 0 ? false : (alerts.alerted ?? false) };
			if (next.warned !== (alerts.warned ?? false) || next.alerted !== (alerts.alerted ?? false))
				await this.#deps.store.setValue(alertsKey(guildId), next);
			if (low && !alerts.warned)
				await this.#deps
					.post(
						alerts.channelId,
						`⚠️ The music provider account is running low: **${balance}** credits left (the warning level is ${alerts.threshold}). Songs will start failing when it runs out; the bot operator needs to top it up.`,
					)
					.catch((err: unknown) => this.#deps.log.warn({ err, guildId }, 'could not post the credits warning'));
		}
	}
}
