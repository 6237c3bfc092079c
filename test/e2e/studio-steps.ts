import type { InteractionHandle, MessageView, UserHandle } from '../doubles/discord/index.ts';
import type { Rig } from './rig.ts';
import { askForSong, waitForTakes } from './song-steps.ts';

/** Steps the studio tests share (issue 17). */

/** The provider task of the `count`-th tool request of this op (split, wav, video) at the fake, once it exists. */
export async function toolTask(rig: Rig, op: string, count = 1): Promise<string> {
	const of = () => [...rig.fake.tasks.values()].filter((t) => t.op === op);
	for (const deadline = Date.now() + 15_000; of().length < count;) {
		if (Date.now() > deadline) throw new Error(`no ${op} task at the fake`);
		await new Promise((resolve) => setTimeout(resolve, 25));
	}
	return of()[count - 1]!.id;
}

export async function aTake(rig: Rig, description: string): Promise<MessageView> {
	const tracker = await (await askForSong(rig.double.user('alice'), description)).reply();
	const [take] = await waitForTakes(rig.double.channel('general'), tracker.id);
	return take as MessageView;
}

/** The take's studio tools: 🎛️ Studio on its row of the song card opens them for `user` alone. */
export async function studioPanel(user: UserHandle, take: MessageView): Promise<MessageView> {
	const panel = await (await user.click(take, 'Studio')).reply();
	if (!panel.ephemeral) throw new Error('the studio panel should be for the clicker alone');
	return panel;
}

/** A studio tool clicked the way a member does: Studio on the take, then the tool in the panel. */
export async function clickTool(user: UserHandle, take: MessageView, label: string): Promise<InteractionHandle> {
	return user.click(await studioPanel(user, take), label);
}
