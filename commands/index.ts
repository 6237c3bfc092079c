import type { Command } from '../src/discord/command.ts';
import type { Context } from '../src/discord/context.ts';
import { song } from './song.ts';

/** Every command the bot offers, registered explicitly (type-checked and greppable, no file globbing). */
export const commands: readonly Command<Context>[] = [song];
