import { MessageFlags, type RepliableInteraction } from 'discord.js';
import { NO_MENTIONS } from './router.ts';

/**
 * Discord waits 3 seconds for an interaction's first answer. A check that usually takes well under that (reading a
 * member's uploaded file) may take longer on a big file or a slow link: past `budgetMs` the interaction is
 * deferred, privately, so a refusal stays between the bot and the member. Once the check passes, `passed` resolves
 * that private "thinking…" state, so the song's public message can follow it (a follow-up after a resolved
 * deferral is a message of its own, public or not; before, it would only fill the private one).
 */
export async function checkWithinFirstAnswer<T>(
	interaction: RepliableInteraction,
	check: Promise<T>,
	passed: () => string,
	budgetMs = 2_000,
): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const late = new Promise<'late'>((resolve) => {
		timer = setTimeout(() => resolve('late'), budgetMs);
	});
	// A check that fails before the deadline still rejects here, with nothing answered yet.
	const first = await Promise.race([check.then(() => 'done' as const), late]).finally(() => clearTimeout(timer));
	if (first === 'done') return check;
	await interaction.deferReply({ flags: MessageFlags.Ephemeral });
	const result = await check;
	await interaction.editReply({ content: passed(), allowedMentions: NO_MENTIONS });
	return result;
}
