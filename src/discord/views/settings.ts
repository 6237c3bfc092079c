import type { APIEmbed } from 'discord.js';
import { COST_KEYS, COST_LABELS, type CostKey, type Costs } from '../../core/costs.ts';
import type { InFlightCaps } from '../../core/inflight.ts';
import type { QuotaLimits } from '../../core/quota.ts';
import { effectiveCosts, type GuildSettings } from '../../core/settings.ts';

/** What /songbot shows: the limits in force, where each comes from, and what is left today. */
export interface SettingsView {
	/** The operator's configuration. */
	defaults: QuotaLimits;
	/** The server's own overrides (unset = the operator's default). */
	overrides: GuildSettings;
	/** Generations counted today. */
	used: { user: number; guild: number };
	/** Epoch ms of the next daily reset. */
	resetsAt: number;
	/** A line above the settings, e.g. "Saved." */
	notice?: string;
	/** The operator's in-flight caps; shown with the server's overrides when given. */
	capDefaults?: InFlightCaps;
}

/** Allowed values, the same ranges as the operator's COOLDOWN_SEC, USER_DAILY_LIMIT and GUILD_DAILY_LIMIT. */
export const SETTING_RANGES = {
	cooldownSec: { min: 0, max: 86_400, name: 'cooldown', unit: 'seconds' },
	userDaily: { min: 0, max: 10_000, name: 'per_user', unit: 'songs a day' },
	guildDaily: { min: 0, max: 100_000, name: 'per_server', unit: 'songs a day' },
} as const satisfies Record<keyof QuotaLimits, { min: number; max: number; name: string; unit: string }>;

/** In-flight caps, the same ranges as USER_RUNNING_LIMIT and GUILD_RUNNING_LIMIT. */
export const CAP_RANGES = {
	userRunning: { min: 0, max: 1_000, name: 'running_per_user', unit: 'songs at a time' },
	guildRunning: { min: 0, max: 100_000, name: 'running_per_server', unit: 'songs at a time' },
} as const;

/** What each paid call counts against the daily limits; the option of `/songbot costs` for each. */
export const COST_RANGE = { min: 0, max: 100 } as const;
export const COST_OPTIONS: Record<CostKey, string> = {
	song: 'song',
	extend: 'extend',
	remix: 'remix',
	full: 'full_song',
	lyrics: 'lyrics',
	upload: 'upload',
	split: 'split',
	stems: 'stems',
	wav: 'wav',
	video: 'video',
	boost: 'boost_style',
	fix: 'fix_section',
	persona: 'house_singer',
	own_audio: 'own_audio',
};

export function renderSettings(view: SettingsView): { content: string; embeds: APIEmbed[] } {
	const source = (key: keyof QuotaLimits) =>
		view.overrides[key] === undefined ? '*bot default*' : '*set for this server*';
	const value = (key: keyof QuotaLimits) => view.overrides[key] ?? view.defaults[key];
	const cooldown = value('cooldownSec');
	const userDaily = value('userDaily');
	const guildDaily = value('guildDaily');
	const reset = Math.floor(view.resetsAt / 1000);
	const embed: APIEmbed = {
		title: '⚙️ Songbot settings for this server',
		color: 0x5865f2,
		fields: [
			{
				name: 'Cooldown',
				value: `${cooldown > 0 ? `${cooldown} s between two songs of one person` : 'none'} · ${source('cooldownSec')}`,
				inline: false,
			},
			{ name: 'Songs per person per day', value: `${limitText(userDaily)} · ${source('userDaily')}`, inline: false },
			{ name: 'Songs per server per day', value: `${limitText(guildDaily)} · ${source('guildDaily')}`, inline: false },
			{
				name: 'Left today',
				value: `Server: ${leftText(guildDaily, view.used.guild)} · You: ${leftText(userDaily, view.used.user)}`,
				inline: false,
			},
			{ name: 'Daily limits reset', value: `<t:${reset}:t> (<t:${reset}:R>)`, inline: false },
			...(view.capDefaults ? [capsField(view.capDefaults, view.overrides)] : []),
			costsField(view.overrides),
		],
		footer: {
			text: 'Change with /songbot set and /songbot costs (0 = no limit, or free); /songbot reset goes back to the bot defaults.',
		},
	};
	return { content: view.notice ?? '', embeds: [embed] };
}

function capsField(defaults: InFlightCaps, overrides: GuildSettings): NonNullable<APIEmbed['fields']>[number] {
	const user = overrides.userRunning ?? defaults.user;
	const guild = overrides.guildRunning ?? defaults.guild;
	const source = (value: number | undefined) => (value === undefined ? '*bot default*' : '*set for this server*');
	return {
		name: 'Songs being made at a time',
		value: `per person: ${limitText(user)} · ${source(overrides.userRunning)}\nper server: ${limitText(guild)} · ${source(overrides.guildRunning)}`,
		inline: false,
	};
}

/** Every paid call, what it counts, and which the server changed. */
function costsField(overrides: GuildSettings): NonNullable<APIEmbed['fields']>[number] {
	const costs: Costs = effectiveCosts(overrides);
	const lines = COST_KEYS.map((key) => {
		const cost = costs[key];
		const mark = overrides.costs?.[key] === undefined ? '' : ' · *set for this server*';
		return `${COST_LABELS[key]}: ${cost === 0 ? 'free' : `${cost} song${cost === 1 ? '' : 's'}`}${mark}`;
	});
	return { name: 'What each call counts against the daily limits', value: lines.join('\n'), inline: false };
}

function limitText(limit: number): string {
	return limit > 0 ? String(limit) : 'unlimited';
}

function leftText(limit: number, used: number): string {
	return limit > 0 ? `${Math.max(0, limit - used)} of ${limit}` : `no limit (${used} made)`;
}

/**
 * Checks a change against the allowed ranges and the server's limit; returns the problem in words, or undefined.
 * `next` is what will be in force after the change (overrides over defaults).
 */
export function settingsProblem(change: GuildSettings, next: QuotaLimits): string | undefined {
	const ranges = { ...SETTING_RANGES, ...CAP_RANGES };
	for (const key of Object.keys(ranges) as (keyof typeof ranges)[]) {
		const value = change[key];
		const range = ranges[key];
		if (value !== undefined && (!Number.isInteger(value) || value < range.min || value > range.max))
			return `\`${range.name}\` must be a whole number from ${range.min} to ${range.max} ${range.unit} (0 = no limit).`;
	}
	for (const key of COST_KEYS) {
		const value = change.costs?.[key];
		if (value !== undefined && (!Number.isInteger(value) || value < COST_RANGE.min || value > COST_RANGE.max))
			return `\`${COST_OPTIONS[key]}\` must be a whole number from ${COST_RANGE.min} to ${COST_RANGE.max} (0 = free).`;
	}
	// Only a per-person limit being set is refused: lowering the server's below the default per person is a
	// normal choice (the server's limit is simply reached first).
	if (change.userDaily !== undefined && next.userDaily > 0 && next.guildDaily > 0 && next.userDaily > next.guildDaily)
		return `The limit per person (${next.userDaily}) would be higher than the server’s (${next.guildDaily}), so nobody could reach it. Lower \`per_user\` or raise \`per_server\`.`;
	return undefined;
}
