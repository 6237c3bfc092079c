import type {
	AutocompleteInteraction,
	ButtonInteraction,
	ChatInputCommandInteraction,
	ModalSubmitInteraction,
	RESTPostAPIChatInputApplicationCommandsJSONBody,
	StringSelectMenuInteraction,
} from 'discord.js';
import type { ParsedCustomId } from './custom-id.ts';

/**
 * One file per command under commands/ exports a plain object that `satisfies Command<Context>`.
 * `name` owns the custom-id prefix of the buttons and modals the command creates, so a click is routed back
 * to the file that made it. A command without `data` owns components only (e.g. the take buttons).
 */
export interface Command<Ctx> {
	name: string;
	/**
	 * The slash command's definition; a function because options depend on the configured provider (undefined: the
	 * provider offers nothing this command does, so it is not registered).
	 */
	data?(ctx: Ctx): RESTPostAPIChatInputApplicationCommandsJSONBody | undefined;
	execute?(interaction: ChatInputCommandInteraction, ctx: Ctx): Promise<unknown>;
	autocomplete?(interaction: AutocompleteInteraction, ctx: Ctx): Promise<unknown>;
	button?(interaction: ButtonInteraction, ctx: Ctx, id: ParsedCustomId): Promise<unknown>;
	select?(interaction: StringSelectMenuInteraction, ctx: Ctx, id: ParsedCustomId): Promise<unknown>;
	modal?(interaction: ModalSubmitInteraction, ctx: Ctx, id: ParsedCustomId): Promise<unknown>;
}
