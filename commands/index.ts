import type { Command } from '../src/discord/command.ts';
import type { Context } from '../src/discord/context.ts';
import { extend } from './extend.ts';
import { jam } from './jam.ts';
import { limits } from './limits.ts';
import { lyrics } from './lyrics.ts';
import { ownAudio } from './own-audio.ts';
import { play } from './play.ts';
import { queue } from './queue.ts';
import { removeSong } from './remove-song.ts';
import { remix } from './remix.ts';
import { song } from './song.ts';
import { songbot } from './songbot.ts';
import { songs } from './songs.ts';
import { stop } from './stop.ts';
import { studio } from './studio.ts';

/** Every command the bot offers, registered explicitly (type-checked and greppable, no file globbing). */
export const commands: readonly Command<Context>[] = [
	song,
	lyrics,
	extend,
	remix,
	songs,
	songbot,
	play,
	queue,
	stop,
	limits,
	removeSong,
	studio,
	ownAudio,
	jam,
];
