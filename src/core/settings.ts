import type { WordFilter } from './admin.ts';
import { COST_KEYS, type Costs, DEFAULT_COSTS } from './costs.ts';
import type { InFlightCaps } from './inflight.ts';
import type { QuotaLimits } from './quota.ts';

/** Per-server overrides set by admins with /songbot; unset fields fall back to the operator's configuration. */
export interface GuildSettings {
	cooldownSec?: number;
	userDaily?: number;
	guildDaily?: number;
	/** Unfinished songs at a time, per person and per server. */
	userRunning?: number;
	guildRunning?: number;
	/** What each paid call counts against the daily limits; unset ones cost 1. */
	costs?: Partial<Costs>;
	/**
	 * The poll on the takes of each new song: on unless turned off, open for `hours` (default 1); a jam's style
	 * poll (opened by a member's click) is open for `jamHours` (default 1).
	 */
	votes?: { enabled?: boolean; hours?: number; jamHours?: number };
	/** Where the weekly "song of the week" post goes (absent: no post). */
	songOfWeek?: { channelId: string };
	/** Where songs are made and who may make them (empty = anywhere, anyone). */
	songChannels?: string[];
	songRoles?: string[];
	/** Words refused in prompts, lyrics, styles and titles. */
	wordFilter?: WordFilter;
	/** Where hides and deletions are recorded. */
	logChannelId?: string;
}

/** Discord lets a poll last from 1 hour to 32 days. */
export const VOTE_HOURS = { min: 1, max: 768, default: 1 } as const;

/** Whether new songs get a poll on their takes in this server, and for how long. */
export function effectiveVotes(settings: GuildSettings): { enabled: boolean; hours: number } {
	const hours = settings.votes?.hours;
	const valid =
		typeof hours === 'number' && Number.isInteger(hours) && hours >= VOTE_HOURS.min && hours <= VOTE_HOURS.max;
	return { enabled: settings.votes?.enabled !== false, hours: valid ? hours : VOTE_HOURS.default };
}

/** How long a jam's style poll stays open in this server, in hours. */
export function jamPollHours(settings: GuildSettings): number {
	const hours = settings.votes?.jamHours;
	const valid =
		typeof hours === 'number' && Number.isInteger(hours) && hours >= VOTE_HOURS.min && hours <= VOTE_HOURS.max;
	return valid ? hours : VOTE_HOURS.default;
}

/** What `/songbot reset` keeps: the admin's rules are not limits, so going back to the default limits keeps them. */
export function adminPart(settings: GuildSettings): GuildSettings {
	const { songChannels, songRoles, wordFilter, logChannelId, votes, songOfWeek } = settings;
	return {
		...(votes ? { votes } : {}),
		...(songOfWeek ? { songOfWeek } : {}),
		...(songChannels ? { songChannels } : {}),
		...(songRoles ? { songRoles } : {}),
		...(wordFilter ? { wordFilter } : {}),
		...(logChannelId ? { logChannelId } : {}),
	};
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

/** The in-flight caps in force in a server. */
export function effectiveCaps(defaults: InFlightCaps, settings: GuildSettings): InFlightCaps {
	return { user: settings.userRunning ?? defaults.user, guild: settings.guildRunning ?? defaults.guild };
}

/** The cost of each paid call in a server; a cost an older version stored as something odd counts as 1. */
export function effectiveCosts(settings: GuildSettings): Costs {
	const costs = { ...DEFAULT_COSTS };
	for (const name of COST_KEYS) {
		const value = settings.costs?.[name];
		if (typeof value === 'number' && Number.isInteger(value) && value >= 0) costs[name] = value;
	}
	return costs;
}
