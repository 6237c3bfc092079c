import type { QuotaLimits } from './quota.ts';

/** Per-server overrides set by admins with /songbot; unset fields fall back to the operator's configuration. */
export interface GuildSettings {
	cooldownSec?: number;
	userDaily?: number;
	guildDaily?: number;
}

/** The small part of the store that settings need. */
export interface SettingsStore {
	getValue<T>(key: string): Promise<T | undefined>;
	setValue<T>(key: string, value: T): Promise<void>;
}

const key = (guildId: string) => `settings:guild:${guildId}`;

export async function readGuildSettings(store: SettingsStore, guildId: string): Promise<GuildSettings> {
	return (await store.getValue<GuildSettings>(key(guildId))) ?? {};
}

export async function writeGuildSettings(
	store: SettingsStore,
	guildId: string,
	settings: GuildSettings,
): Promise<void> {
	await store.setValue(key(guildId), settings);
}

/** The limits in force in a server: its overrides over the operator's defaults. */
export function effectiveLimits(defaults: QuotaLimits, settings: GuildSettings): QuotaLimits {
	return {
		cooldownSec: settings.cooldownSec ?? defaults.cooldownSec,
		userDaily: settings.userDaily ?? defaults.userDaily,
		guildDaily: settings.guildDaily ?? defaults.guildDaily,
	};
}
