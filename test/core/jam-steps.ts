import { type Jam, type JamResult, newJam } from '../../src/core/jam.ts';

/** Shared by the jam tests (test/core/jam*.test.ts): a fresh jam, and a change that must be accepted. */

export const aJam = () =>
	newJam({
		guildId: 'g',
		channelId: 'c',
		threadId: 't',
		title: 'Harbour Lights',
		theme: 'the harbour',
		style: 'sea shanty',
		userId: 'alice',
		now: 0,
	});

export function ok(result: JamResult): Jam {
	if (!result.ok) throw new Error(`refused: ${result.reason}`);
	return result.jam;
}
