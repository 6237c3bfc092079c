import { type ButtonInteraction, MessageFlags } from 'discord.js';
import type { Context } from './context.ts';
import { NO_MENTIONS } from './router.ts';

/**
 * Repeat clicks: the same button on the same message pressed again while the first press is being done or just
 * after (a double click, a laggy client, two people at once) does one thing. The first press takes a short claim
 * in the store (atomic across processes); the others are told it is being done. The claim is given back when the
 * first press did nothing, and (with `holdAfterMs`) that long after it is done, so a deliberate second press works.
 */

/** The longest a claim is held, whatever happens to the press that took it. */
export const REPEAT_CLICK_MS = 5_000;

export const CLICK_TEXT = {
	repeat: '👌 That button was just pressed: it is being done once, not twice.',
} as const;

export interface ClickOptions {
	/** One claim per person (Play: each person's own press counts) instead of one per message (Regenerate). */
	perUser?: boolean;
	/** How long the claim outlives the press once it is done; default: until REPEAT_CLICK_MS. */
	holdAfterMs?: number;
	/**
	 * The same person's second press goes on to the request's own dedupe (src/core/dedupe.ts), whose answer links
	 * the first one's message; only someone else's press is stopped here.
	 */
	sameUserToDedupe?: boolean;
}

interface Held {
	token: string;
	userId: string;
}

/**
 * Runs `work` for the first press only; a repeat is answered here, privately. A failure gives the claim back
 * before it is thrown.
 */
export async function once(
	ctx: Context,
	interaction: ButtonInteraction,
	work: () => Promise<unknown>,
	options: ClickOptions = {},
): Promise<void> {
	const userId = interaction.user.id;
	const key = `click:${interaction.message.id}:${interaction.customId}${options.perUser ? `:${userId}` : ''}`;
	const mine = JSON.stringify({ token: interaction.id, userId } satisfies Held);
	const claim = await ctx.store.claimFor(key, mine, REPEAT_CLICK_MS);
	const release = () => ctx.store.dropClaim(key, mine).catch(() => {});
	if (!claim.held) {
		if (options.sameUserToDedupe && heldBy(claim.value) === userId) return void (await work());
		await interaction.reply({
			content: CLICK_TEXT.repeat,
			flags: MessageFlags.Ephemeral,
			allowedMentions: NO_MENTIONS,
		});
		return;
	}
	try {
		await work();
	} catch (error) {
		await release();
		throw error;
	}
	if (options.holdAfterMs !== undefined) setTimeout(() => void release(), options.holdAfterMs).unref();
}

function heldBy(value: string): string | undefined {
	try {
		return (JSON.parse(value) as Partial<Held>).userId;
	} catch {
		return undefined;
	}
}
