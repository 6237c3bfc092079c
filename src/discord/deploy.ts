import type { Client, RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import type { Logger } from '../log.ts';

/**
 * Registers the slash commands at start-up: in one guild when DISCORD_GUILD_ID is set (instant), otherwise
 * globally. The current registration is read first and only overwritten when it differs, so restarts do not
 * churn Discord's command cache (a complaint about other bots that re-register on every start).
 */
export async function deployCommands(
	client: Client<true>,
	commands: readonly RESTPostAPIChatInputApplicationCommandsJSONBody[],
	log: Logger,
	guildId?: string,
): Promise<'unchanged' | 'updated'> {
	const guild = guildId ? await client.guilds.fetch(guildId) : undefined;
	const manager = guild?.commands ?? client.application.commands;
	const existing = guild ? await guild.commands.fetch() : await client.application.commands.fetch();
	const current = [...existing.values()].map((c) => comparable(c.toJSON() as unknown as Record<string, unknown>));
	const wanted = commands.map((c) => comparable(c as unknown as Record<string, unknown>));
	if (JSON.stringify(sortByName(current)) === JSON.stringify(sortByName(wanted))) {
		log.debug({ scope: guildId ?? 'global' }, 'slash commands unchanged');
		return 'unchanged';
	}
	await manager.set([...commands]);
	log.info({ scope: guildId ?? 'global', count: commands.length }, 'slash commands registered');
	return 'updated';
}

/** The fields we set, normalised the way Discord echoes them back. */
function comparable(c: Record<string, unknown>): unknown {
	return JSON.parse(
		JSON.stringify(
			{
				name: c.name,
				description: c.description,
				...localizationsOf(c),
				options: normaliseOptions(c.options),
				default_member_permissions: c.default_member_permissions ?? c.defaultMemberPermissions ?? null,
			},
			// discord.js reports a registered command's permissions as a bigint, which JSON cannot hold.
			(_key, value: unknown) => (typeof value === 'bigint' ? String(value) : value),
		),
	);
}

function normaliseOptions(options: unknown): unknown {
	if (!Array.isArray(options) || options.length === 0) return [];
	return options.map((o: Record<string, unknown>) => ({
		type: o.type,
		name: o.name,
		description: o.description,
		...localizationsOf(o),
		required: o.required ?? false,
		choices: Array.isArray(o.choices)
			? o.choices.map((c: Record<string, unknown>) => [c.name, c.value, localizationsOf(c).names])
			: [],
		autocomplete: o.autocomplete ?? false,
		min_value: o.min_value ?? o.minValue ?? null,
		max_value: o.max_value ?? o.maxValue ?? null,
		max_length: o.max_length ?? o.maxLength ?? null,
		options: normaliseOptions(o.options),
	}));
}

/** Translated names and descriptions, as sent (snake_case) or as discord.js echoes them (camelCase). */
function localizationsOf(c: Record<string, unknown>) {
	const sorted = (map: unknown) =>
		map && typeof map === 'object'
			? Object.fromEntries(Object.entries(map).sort(([a], [b]) => a.localeCompare(b)))
			: {};
	return {
		names: sorted(c.name_localizations ?? c.nameLocalizations),
		descriptions: sorted(c.description_localizations ?? c.descriptionLocalizations),
	};
}

function sortByName(list: unknown[]): unknown[] {
	return [...list].sort((a, b) => String((a as { name: string }).name).localeCompare((b as { name: string }).name));
}
