import { type ButtonInteraction, MessageFlags } from 'discord.js';
import type { Context } from './context.ts';
import { NO_MENTIONS } from './router.ts';

/**
 * Repeat clicks: the same button on the same message pressed again within a few seconds (a double click, a laggy
 * client, two people at once) does one thing. The first click takes a short claim in the store (atomic across
 * processes); the others are told it is being done. The claim is given back when the first click did nothing.
 */

/** Long enough for a double click and a client retry, short enough that a deliberate second press works. */
export const REPEAT_CLICK_MS = 5_000;
/** Within this a second press is always the same click, whatever the first one's effect is by then. */
const SAME_CLICK_MS = 1_500;

export const CLICK_TEXT = {
	repeat: '👌 That button was just pressed: it is being done once, not twice.',
} as const;

export interface ClickClaim {
	/** The first click failed before doing anything: a press now must work. */
	release(): Promise<void>;
}

interface Held {
	token: string;
	at: number;
	userId?: string;
}

export interface ClickOptions {
	/**
	 * Whether the first click's effect still stands (the take is still queued): a later press after it is undone
	 * (the player was stopped) is a new request, not a repeat.
	 */
	stillDone?: () => boolean;
	/**
	 * The same person's second press goes on to the request's own dedupe (src/core/dedupe.ts), whose answer links
	 * the first one's message; only someone else's press is stopped here.
	 */
	sameUserToDedupe?: boolean;
}

/** The claim of the first click, or undefined for a repeat (answered here, privately). */
export async function firstClick(
	ctx: Context,
	interaction: ButtonInteraction,
	options: ClickOptions = {},
): Promise<ClickClaim | undefined> {
	const { stillDone, sameUserToDedupe } = options;
	const key = `click:${interaction.message.id}:${interaction.customId}`;
	const userId = interaction.user.id;
	const mine = JSON.stringify({ token: interaction.id, at: Date.now(), userId } satisfies Held);
	let claim = await ctx.store.claimFor(key, mine, REPEAT_CLICK_MS);
	if (!claim.held && sameUserToDedupe && parseHeld(claim.value)?.userId === userId)
		return { release: () => Promise.resolve() };
	if (!claim.held && stillDone) {
		const first = parseHeld(claim.value);
		if (first && Date.now() - first.at >= SAME_CLICK_MS && !stillDone()) {
			await ctx.store.dropClaim(key, claim.value);
			claim = await ctx.store.claimFor(key, mine, REPEAT_CLICK_MS);
		}
	}
	if (!claim.held) {
		await interaction.reply({
			content: CLICK_TEXT.repeat,
			flags: MessageFlags.Ephemeral,
			allowedMentions: NO_MENTIONS,
		});
		return undefined;
	}
	return { release: () => ctx.store.dropClaim(key, mine) };
}

function parseHeld(value: string): Held | undefined {
	try {
		const held = JSON.parse(value) as Held;
		return typeof held.at === 'number' ? held : undefined;
	} catch {
		return undefined;
	}
}

/** Runs `work` for the first click only; a failure gives the claim back before it is thrown. */
export async function once(
	ctx: Context,
	interaction: ButtonInteraction,
	work: () => Promise<unknown>,
	options: ClickOptions = {},
): Promise<void> {
	const claim = await firstClick(ctx, interaction, options);
	if (!claim) return;
	try {
		await work();
	} catch (error) {
		await claim.release().catch(() => {});
		throw error;
	}
}
