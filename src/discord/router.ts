import { randomBytes } from 'node:crypto';
import { type BaseInteraction, DiscordAPIError, type Interaction, MessageFlags } from 'discord.js';
import { isUserFacing, type ProviderError, type UserError } from '../core/errors.ts';
import type { Logger } from '../log.ts';
import type { Command } from './command.ts';
import { decodeCustomId } from './custom-id.ts';
import { type Locale, localeOf, providerErrorText, t, userErrorText } from './i18n.ts';

/** Replies that never ping anyone, whatever text they carry. */
export const NO_MENTIONS = { parse: [] } as const;

/**
 * Routes every interaction to the command that owns it and turns any error into a clear ephemeral message.
 * User-facing errors are shown as they are; anything else is logged with a short reference the user can quote.
 */
export function createRouter<Ctx extends { log: Logger }>(commands: readonly Command<Ctx>[], ctx: Ctx) {
	const byName = new Map(commands.map((c) => [c.name, c]));

	async function dispatch(interaction: Interaction): Promise<void> {
		if (interaction.isChatInputCommand()) {
			const command = byName.get(interaction.commandName);
			if (!command?.execute)
				return void (await answer(interaction, t(localeOf(interaction), 'router.unknown_command')));
			await command.execute(interaction, ctx);
			return;
		}
		if (interaction.isAutocomplete()) {
			await byName.get(interaction.commandName)?.autocomplete?.(interaction, ctx);
			return;
		}
		if (interaction.isButton() || interaction.isModalSubmit() || interaction.isStringSelectMenu()) {
			const id = decodeCustomId(interaction.customId);
			const command = id ? byName.get(id.command) : undefined;
			if (!id || !command) return void (await answer(interaction, staleText(interaction)));
			if (interaction.isButton() && command.button) await command.button(interaction, ctx, id);
			else if (interaction.isModalSubmit() && command.modal) await command.modal(interaction, ctx, id);
			else if (interaction.isStringSelectMenu() && command.select) await command.select(interaction, ctx, id);
		}
	}

	/** Whatever a handler did, Discord gets an answer: never "This interaction failed" for a click or a form. */
	async function answerIfSilent(interaction: Interaction): Promise<void> {
		if (interaction.isAutocomplete()) {
			if (!interaction.responded) await interaction.respond([]);
			return;
		}
		if (!interaction.isRepliable() || interaction.replied || interaction.deferred) return;
		ctx.log.warn({ interaction: describe(interaction) }, 'a handler left an interaction unanswered');
		await answer(
			interaction,
			interaction.isChatInputCommand() ? t(localeOf(interaction), 'router.unknown_command') : staleText(interaction),
		);
	}

	return async function handle(interaction: Interaction): Promise<void> {
		try {
			await dispatch(interaction);
			await answerIfSilent(interaction);
		} catch (error) {
			if (isUserFacing(error)) {
				await answer(interaction, userFacingText(error, localeOf(interaction))).catch((e: unknown) =>
					ctx.log.warn({ err: e }, 'could not send error reply'),
				);
				return;
			}
			// Discord says the interaction expired (10062): nothing can be answered any more.
			if (error instanceof DiscordAPIError && error.code === 10062) {
				ctx.log.warn({ err: error, interaction: interaction.id }, 'interaction expired before the first answer');
				return;
			}
			const ref = randomBytes(4).toString('hex');
			ctx.log.error({ err: error, ref, interaction: describe(interaction) }, 'interaction failed');
			await answer(interaction, t(localeOf(interaction), 'router.failed', { ref })).catch((e: unknown) =>
				ctx.log.warn({ err: e, ref }, 'could not send error reply'),
			);
		}
	};
}

/** What a person is told of an error they may see (a refusal, the provider's words), in their language. */
export function userFacingText(error: UserError | ProviderError, locale: Locale): string {
	return 'userMessage' in error ? providerErrorText(error, locale) : userErrorText(error, locale);
}

/** Ephemeral answer that works whether or not the interaction was already acknowledged. */
export async function answer(interaction: BaseInteraction, content: string): Promise<void> {
	if (!interaction.isRepliable()) return;
	const payload = { content, allowedMentions: NO_MENTIONS };
	if (interaction.deferred && !interaction.replied) await interaction.editReply(payload);
	else if (interaction.replied) await interaction.followUp({ ...payload, flags: MessageFlags.Ephemeral });
	else await interaction.reply({ ...payload, flags: MessageFlags.Ephemeral });
}

/** A click or form this version does not know (made by an older one, or a future one during a rollout). */
function staleText(interaction: Interaction): string {
	return t(localeOf(interaction), interaction.isModalSubmit() ? 'router.stale_form' : 'router.stale_button');
}

function describe(interaction: Interaction) {
	const what = interaction.isChatInputCommand()
		? `/${interaction.commandName}`
		: 'customId' in interaction
			? interaction.customId
			: interaction.type;
	return { id: interaction.id, what, user: interaction.user.id, guild: interaction.guildId };
}
