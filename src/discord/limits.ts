import type { BaseInteraction } from 'discord.js';
import { type Charge, COST_LABELS, type CostKey, chargeFor, type Costs, isSong } from '../core/costs.ts';
import { UserError } from '../core/errors.ts';
import { type InFlightCaps, InFlightRefusal, type InFlightSlot } from '../core/inflight.ts';
import type { QuotaLimits } from '../core/quota.ts';
import {
	effectiveCaps,
	effectiveCosts,
	effectiveLimits,
	type GuildSettings,
	readGuildSettings,
} from '../core/settings.ts';
import { checkPlace } from './admin-rules.ts';
import type { Context } from './context.ts';
import { inFlightText } from './views/limits.ts';

/** Everything that limits a server's spending: quotas, in-flight caps and costs, its /songbot overrides applied. */
export interface ServerRules {
	quota: QuotaLimits;
	caps: InFlightCaps;
	costs: Costs;
	/** The server's settings as stored, for the admin's rules (channels, roles, word filter). */
	settings: GuildSettings;
}

/** The operator's configuration, before any server's overrides. */
export function defaultRules(ctx: Pick<Context, 'config'>): { quota: QuotaLimits; caps: InFlightCaps } {
	return {
		quota: {
			cooldownSec: ctx.config.COOLDOWN_SEC,
			userDaily: ctx.config.USER_DAILY_LIMIT,
			guildDaily: ctx.config.GUILD_DAILY_LIMIT,
		},
		caps: { user: ctx.config.USER_RUNNING_LIMIT, guild: ctx.config.GUILD_RUNNING_LIMIT },
	};
}

export async function rulesFor(ctx: Context, guildId: string): Promise<ServerRules> {
	const settings = await readGuildSettings(ctx.store, guildId);
	const defaults = defaultRules(ctx);
	return {
		quota: effectiveLimits(defaults.quota, settings),
		caps: effectiveCaps(defaults.caps, settings),
		costs: effectiveCosts(settings),
		settings,
	};
}

/** The limits in force in a server: its /songbot overrides over the operator's configuration. */
export async function limitsFor(ctx: Context, guildId: string): Promise<QuotaLimits> {
	return (await rulesFor(ctx, guildId)).quota;
}

/**
 * Every form that leads to a paid call checks the limits before it opens, so nobody types a song for nothing.
 * Only reads: the cooldown and the daily counts are taken when the form is submitted. Several keys are checked
 * as one (an upload and the extension that must follow it): both must fit.
 */
export async function checkBeforeForm(
	interaction: BaseInteraction,
	ctx: Context,
	...keys: [CostKey, ...CostKey[]]
): Promise<void> {
	const guildId = interaction.guildId;
	if (!guildId) return;
	const rules = await rulesFor(ctx, guildId);
	checkPlace(interaction, rules.settings);
	const charge: Charge =
		keys.length === 1
			? chargeFor(keys[0], rules.costs)
			: {
					cost: keys.reduce((sum, key) => sum + rules.costs[key], 0),
					cooldown: keys.some(isSong),
					label: keys.map((key) => COST_LABELS[key]).join(' and '),
					keys,
				};
	await ctx.quotas.precheck(guildId, interaction.user.id, rules.quota, charge);
	if (keys.some(isSong)) await shown(guildId, () => ctx.inFlight.check(guildId, interaction.user.id, rules.caps));
}

/** Holds an in-flight slot for a song until its task is saved (or it failed); nothing for lyrics and uploads. */
export async function reserveSlot(
	ctx: Context,
	where: { guildId: string; userId: string },
	key: CostKey,
	rules: ServerRules,
): Promise<InFlightSlot> {
	if (!isSong(key)) return { shownAt() {}, release() {} };
	return shown(where.guildId, () => ctx.inFlight.reserve(where.guildId, where.userId, rules.caps));
}

/** The core says how many songs run and which is oldest; the refusal people read links to it. */
async function shown<T>(guildId: string, work: () => Promise<T>): Promise<T> {
	try {
		return await work();
	} catch (error) {
		if (error instanceof InFlightRefusal) throw new UserError(error.id, inFlightText(error, guildId), { cause: error });
		throw error;
	}
}
