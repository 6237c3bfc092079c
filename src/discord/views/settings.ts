import type { APIEmbed } from 'discord.js';
import { COST_KEYS, type CostKey, type Costs } from '../../core/costs.ts';
import { type Message, type MessageKey, msg } from '../../i18n/index.ts';
import { type Locale, t } from '../i18n.ts';
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
	/** The reader's language (English when unset). */
	locale?: Locale;
}

/** Each setting's refusal when out of range, naming its unit. */
const RANGE_TEXT = {
	cooldownSec: 'settings.range_seconds',
	userDaily: 'settings.range_per_day',
	guildDaily: 'settings.range_per_day',
	userRunning: 'settings.range_at_once',
	guildRunning: 'settings.range_at_once',
} as const;

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
	const locale = view.locale ?? 'en';
	const source = (key: keyof QuotaLimits) => sourceText(locale, view.overrides[key]);
	const value = (key: keyof QuotaLimits) => view.overrides[key] ?? view.defaults[key];
	const cooldown = value('cooldownSec');
	const userDaily = value('userDaily');
	const guildDaily = value('guildDaily');
	const at = view.resetsAt;
	const cooldownText = cooldown > 0 ? t(locale, 'settings.cooldown_value', { cooldown }) : t(locale, 'settings.none');
	const embed: APIEmbed = {
		title: t(locale, 'settings.title'),
		color: 0x5865f2,
		fields: [
			{ name: t(locale, 'settings.cooldown'), value: `${cooldownText} · ${source('cooldownSec')}`, inline: false },
			{
				name: t(locale, 'settings.per_user'),
				value: `${limitText(locale, userDaily)} · ${source('userDaily')}`,
				inline: false,
			},
			{
				name: t(locale, 'settings.per_server'),
				value: `${limitText(locale, guildDaily)} · ${source('guildDaily')}`,
				inline: false,
			},
			{
				name: t(locale, 'settings.left_today'),
				value: t(locale, 'settings.left_today_value', {
					server: leftText(locale, guildDaily, view.used.guild),
					you: leftText(locale, userDaily, view.used.user),
				}),
				inline: false,
			},
			{ name: t(locale, 'settings.reset'), value: t(locale, 'settings.reset_value', { at }), inline: false },
			...(view.capDefaults ? [capsField(locale, view.capDefaults, view.overrides)] : []),
			costsField(locale, view.overrides),
		],
		footer: { text: t(locale, 'settings.footer') },
	};
	return { content: view.notice ?? '', embeds: [embed] };
}

function sourceText(locale: Locale, override: unknown): string {
	return t(locale, override === undefined ? 'settings.bot_default' : 'settings.set_here');
}

function capsField(
	locale: Locale,
	defaults: InFlightCaps,
	overrides: GuildSettings,
): NonNullable<APIEmbed['fields']>[number] {
	const user = overrides.userRunning ?? defaults.user;
	const guild = overrides.guildRunning ?? defaults.guild;
	return {
		name: t(locale, 'settings.running'),
		value: t(locale, 'settings.running_value', {
			user: `${limitText(locale, user)} · ${sourceText(locale, overrides.userRunning)}`,
			server: `${limitText(locale, guild)} · ${sourceText(locale, overrides.guildRunning)}`,
		}),
		inline: false,
	};
}

/** The paid calls by name, in the reader's language. */
const COST_TEXT = {
	song: 'settings.cost_song',
	extend: 'settings.cost_extend',
	remix: 'settings.cost_remix',
	full: 'settings.cost_full',
	lyrics: 'settings.cost_lyrics',
	upload: 'settings.cost_upload',
	split: 'settings.cost_split',
	stems: 'settings.cost_stems',
	wav: 'settings.cost_wav',
	video: 'settings.cost_video',
	boost: 'settings.cost_boost',
	fix: 'settings.cost_fix',
	persona: 'settings.cost_persona',
	own_audio: 'settings.cost_own_audio',
} as const satisfies Record<CostKey, MessageKey>;

/** Every paid call, what it counts, and which the server changed. */
function costsField(locale: Locale, overrides: GuildSettings): NonNullable<APIEmbed['fields']>[number] {
	const costs: Costs = effectiveCosts(overrides);
	const lines = COST_KEYS.map((key) => {
		const cost = costs[key];
		const mark = overrides.costs?.[key] === undefined ? '' : ` · ${t(locale, 'settings.set_here')}`;
		const counts =
			cost === 0
				? t(locale, 'settings.free')
				: t(locale, cost === 1 ? 'settings.songs_one' : 'settings.songs', { cost });
		return `${t(locale, COST_TEXT[key])}: ${counts}${mark}`;
	});
	return { name: t(locale, 'settings.costs'), value: lines.join('\n'), inline: false };
}

function limitText(locale: Locale, limit: number): string {
	return limit > 0 ? String(limit) : t(locale, 'settings.unlimited');
}

function leftText(locale: Locale, limit: number, used: number): string {
	return limit > 0
		? t(locale, 'settings.left_of', { left: Math.max(0, limit - used), limit })
		: t(locale, 'settings.no_limit_made', { used });
}

/**
 * Checks a change against the allowed ranges and the server's limit; returns the problem in words, or undefined.
 * `next` is what will be in force after the change (overrides over defaults).
 */
export function settingsProblem(change: GuildSettings, next: QuotaLimits): Message | undefined {
	const ranges = { ...SETTING_RANGES, ...CAP_RANGES };
	for (const key of Object.keys(ranges) as (keyof typeof ranges)[]) {
		const value = change[key];
		const range = ranges[key];
		if (value !== undefined && (!Number.isInteger(value) || value < range.min || value > range.max))
			return msg(RANGE_TEXT[key], { name: range.name, min: range.min, max: range.max });
	}
	for (const key of COST_KEYS) {
		const value = change.costs?.[key];
		if (value !== undefined && (!Number.isInteger(value) || value < COST_RANGE.min || value > COST_RANGE.max))
			return msg('settings.range_cost', { name: COST_OPTIONS[key], min: COST_RANGE.min, max: COST_RANGE.max });
	}
	// Only a per-person limit being set is refused: lowering the server's below the default per person is a
	// normal choice (the server's limit is simply reached first).
	if (change.userDaily !== undefined && next.userDaily > 0 && next.guildDaily > 0 && next.userDaily > next.guildDaily)
		return msg('settings.user_above_server', { user: next.userDaily, server: next.guildDaily });
	return undefined;
}
