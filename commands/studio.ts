import { type ButtonInteraction, MessageFlags } from 'discord.js';
import type { GenerateRequest } from '../src/core/provider.ts';
import { loadChoice } from '../src/discord/boost.ts';
import { fixWithWords, openFix, pickSection } from '../src/discord/fix-section.ts';
import { makeSinger, openSinger } from '../src/discord/house-singer.ts';
import { encodeCustomId } from '../src/discord/custom-id.ts';
import { songModal } from '../src/discord/modals.ts';
import { UserError } from '../src/core/errors.ts';
import { readGuildSettings } from '../src/core/settings.ts';
import { hasTool, type ToolName, type ToolRequest } from '../src/core/studio.ts';
import type { Command } from '../src/discord/command.ts';
import type { Context } from '../src/discord/context.ts';
import { NO_MENTIONS } from '../src/discord/router.ts';
import { startSong } from '../src/discord/start-song.ts';
import { openStudio } from '../src/discord/studio-panel.ts';
import { karaokeWhere, prepareKaraoke, studioReuseKey, toolRecord } from '../src/discord/karaoke.ts';
import { once } from '../src/discord/click-guard.ts';
import type { ParsedCustomId } from '../src/discord/custom-id.ts';
import { queueTakes } from './play.ts';
import { takeRefFromArgs } from '../src/discord/take-ref.ts';
import { loadTake } from '../src/discord/take-source.ts';
import { renderToolStatus, type StudioTool } from '../src/discord/views/studio.ts';
import { localeOf, serverLocale, t } from '../src/discord/i18n.ts';
import { msg } from '../src/i18n/index.ts';

/**
 * The studio buttons under a take (issue 17): Split (vocals + instrumental), WAV and Video, shown only where the
 * provider has the tool. Each is a paid call with its own cost (`/songbot costs`), tracked like a song; a result
 * the bot already has for the take is shown again instead of paying the provider a second time.
 */

const TOOLS: Record<string, { capability: ToolName; tool: StudioTool }> = {
	split: { capability: 'split', tool: 'split' },
	stems: { capability: 'stems', tool: 'stems' },
	wav: { capability: 'wav', tool: 'wav' },
	video: { capability: 'video', tool: 'video' },
};

const REUSE_TTL_MS = 14 * 86_400_000;

export const studio = {
	name: 'studio',

	async button(interaction, ctx, id) {
		if (id.action === 'open') return openStudio(interaction, ctx, id.args);
		if (id.action === 'karaoke') return karaoke(interaction, ctx, id);
		if (id.action.startsWith('boost-')) return boostChoice(interaction, ctx, id.action, id.args[0]);
		if (id.action === 'singer') {
			if (!hasTool(ctx.provider.capabilities, 'persona'))
				throw new UserError('studio.unavailable', msg('studio.not_offered'));
			return openSinger(interaction, ctx, id.args);
		}
		if (id.action === 'fix') {
			if (!hasTool(ctx.provider.capabilities, 'replace'))
				throw new UserError('studio.unavailable', msg('studio.not_offered'));
			return openFix(interaction, ctx, id.args);
		}
		const spec = TOOLS[id.action];
		if (!spec) throw new UserError('button.old', msg('error.old_button'));
		if (!hasTool(ctx.provider.capabilities, spec.capability))
			throw new UserError('studio.unavailable', msg('studio.not_offered'));
		if (spec.tool === 'stems') {
			const settings = await readGuildSettings(ctx.store, interaction.guildId ?? '');
			if (settings.costs?.stems === undefined) throw new UserError('studio.stems-off', msg('studio.stems_off'));
		}
		const source = await loadTake(ctx, interaction, takeRefFromArgs(id.args));
		if (source.task.family !== ctx.provider.family)
			throw new UserError('take.other-provider', msg('studio.other_provider'));
		const take = { taskId: source.task.id, clipId: source.clip.id };
		const guildId = interaction.guildId ?? '';
		const key = studioReuseKey(guildId, spec.tool, take.taskId, take.clipId);
		if (await showExisting(interaction, ctx, key)) return;
		const tool: ToolRequest =
			spec.tool === 'split' || spec.tool === 'stems'
				? { tool: 'split', request: { source: take, ...(spec.tool === 'stems' ? { stems: true } : {}) } }
				: spec.tool === 'wav'
					? { tool: 'wav', source: take }
					: { tool: 'video', source: take, author: interaction.user.username };
		const status = (stage: 'submitting' | 'failed', problem?: string) =>
			renderToolStatus({
				tool: spec.tool,
				stage,
				title: source.title,
				take: source.clip.take,
				requesterId: interaction.user.id,
				...(problem ? { problem } : {}),
				// The status message is the channel's, like a song's tracker.
				locale: serverLocale(interaction.guild),
			});
		const record = await startSong(interaction, ctx, {
			request: { action: 'tool', tool },
			origin: `studio:${spec.tool}`,
			preview: { mode: 'remix', model: '', title: source.title },
			render: status,
		});
		if (record) await ctx.store.setValue(key, record.id, { ttlMs: REUSE_TTL_MS });
	},

	async select(interaction, ctx, id) {
		if (id.action !== 'fix-pick') throw new UserError('button.old', msg('error.old_button'));
		await pickSection(interaction, ctx, id.args);
	},

	async modal(interaction, ctx, id) {
		if (id.action === 'singer-make') return makeSinger(interaction, ctx, id.args);
		if (id.action !== 'fix-words') throw new UserError('button.old', msg('error.old_button'));
		await fixWithWords(interaction, ctx, id.args);
	},
} satisfies Command<Context>;

/** Use it / Keep mine start the song with the boosted or the person's own style; Edit reopens the form with it. */
async function boostChoice(interaction: ButtonInteraction, ctx: Context, action: string, key: string | undefined) {
	const choice = await loadChoice(interaction, ctx, key);
	const { request } = choice;
	if (action === 'boost-edit') {
		const [mode, model, instrumental, voice] = choice.form;
		const formId = encodeCustomId(
			'song',
			'submit',
			mode ?? 'custom',
			model ?? request.model,
			instrumental ?? '0',
			voice ?? '-',
		);
		const prefill = {
			style: choice.boosted,
			...(request.title ? { title: request.title } : {}),
			...(request.lyrics ? { lyrics: request.lyrics } : {}),
			...(request.negativeStyle ? { avoid: request.negativeStyle } : {}),
			...(request.mode === 'describe' ? { description: request.description } : {}),
		};
		// The form takes what this model takes: a longer boosted style is cut to fit, and can be edited there.
		const limits = ctx.provider.limits(request.model);
		prefill.style = [...prefill.style].slice(0, limits.style).join('');
		return interaction.showModal(
			songModal(formId, request.mode, limits, {
				instrumental: request.instrumental === true,
				negativeStyle: ctx.provider.capabilities.negativeStyle,
				prefill,
				locale: localeOf(interaction),
			}),
		);
	}
	if (action !== 'boost-use' && action !== 'boost-keep') throw new UserError('button.old', msg('error.old_button'));
	const final: GenerateRequest = action === 'boost-use' ? { ...request, style: choice.boosted } : request;
	await startSong(interaction, ctx, {
		request: { action: 'generate', request: final },
		preview: {
			mode: final.mode,
			model: final.model,
			instrumental: final.instrumental === true,
			...(final.title ? { title: final.title } : {}),
			...(final.style ? { style: final.style } : {}),
		},
	});
}

/**
 * The provider charges every split, WAV and video again: when this take already has one that did not fail, its
 * results (or the message following it) are linked instead, and nothing is charged. True when it answered.
 */
async function showExisting(interaction: ButtonInteraction, ctx: Context, key: string): Promise<boolean> {
	// An intent hands over to the provider's task id once it is known.
	const record = await toolRecord(ctx, key);
	if (!record || record.state.status === 'failed' || record.state.status === 'moved') return false;
	const { guildId, channelId } = record.place;
	const link = (messageId: string) => `https://discord.com/channels/${guildId}/${channelId}/${messageId}`;
	const posted = record.clips.flatMap((c) => (c.delivery?.status === 'delivered' ? [link(c.delivery.messageId)] : []));
	const locale = localeOf(interaction);
	const content =
		record.state.status === 'delivered' && posted.length > 0
			? t(locale, 'studio.reused', { links: posted.join(' · ') })
			: t(locale, 'studio.in_progress', { link: record.place.messageId ? link(record.place.messageId) : '' }).trimEnd();
	await interaction.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
	return true;
}

/**
 * 🎙️ Karaoke: the take's instrumental in voice under its timed lyrics. The instrumental comes from the split the bot
 * already has for the take; without one, the split is started as Split starts it (counted the same), and karaoke
 * starts by itself in the presser's voice channel once the split is delivered (src/discord/karaoke-wait.ts).
 */
async function karaoke(interaction: ButtonInteraction, ctx: Context, id: ParsedCustomId): Promise<void> {
	const caps = ctx.provider.capabilities;
	if (!hasTool(caps, 'split') || !hasTool(caps, 'timestamps'))
		throw new UserError('studio.unavailable', msg('studio.not_offered'));
	const source = await loadTake(ctx, interaction, takeRefFromArgs(id.args));
	if (source.task.family !== ctx.provider.family)
		throw new UserError('take.other-provider', msg('studio.other_provider'));
	if (source.instrumental) throw new UserError('studio.karaoke-no-lyrics', msg('studio.karaoke_no_lyrics'));
	const key = studioReuseKey(interaction.guildId ?? '', 'split', source.task.id, source.clip.id);
	const split = await toolRecord(ctx, key);
	const locale = localeOf(interaction);
	const privately = { flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS } as const;
	if (!split || split.state.status === 'failed' || split.state.status === 'moved') {
		await studio.button(interaction, ctx, { ...id, action: 'split' });
		// Only when the split did start (a quota or a provider refusal has already answered).
		const started = await toolRecord(ctx, key);
		if (started && started.id !== split?.id) {
			const waits = (await ctx.karaoke?.want(interaction, source)) === true;
			const content = t(locale, waits ? 'studio.karaoke_splitting' : 'studio.karaoke_splitting_press_again');
			await interaction.followUp({ content, ...privately });
		}
		return;
	}
	if (split.state.status !== 'delivered') {
		const { guildId, channelId, messageId } = split.place;
		const link = messageId ? `https://discord.com/channels/${guildId}/${channelId}/${messageId}` : '';
		const waits = (await ctx.karaoke?.want(interaction, source)) === true;
		const content = t(locale, waits ? 'studio.karaoke_wait_mine' : 'studio.karaoke_wait', { link }).trimEnd();
		await interaction.reply({ content, ...privately });
		return;
	}
	const { target, take } = await prepareKaraoke(ctx, karaokeWhere(interaction), source, split);
	if (!interaction.inCachedGuild()) return;
	await once(ctx, interaction, () => queueTakes(interaction, ctx, target, [take]), { perUser: true, holdAfterMs: 0 });
}
