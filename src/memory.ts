import v8 from 'node:v8';
import vm from 'node:vm';

/**
 * One compacting collection once the bot is up. Start-up (loading modules, type-stripping sources, the ready
 * burst of GUILD_CREATEs) grows V8's young generation to tens of MB, and V8 keeps that size while the bot idles:
 * about a fifth of an idle bot's resident memory is an empty nursery. A "last resort" collection is the one V8
 * runs under memory pressure: it collects everything and shrinks the heap spaces to what is in use.
 *
 * Node offers no other way to ask for it than a gc function: V8 puts one on contexts created while the
 * --expose-gc flag is set, so the flag is set for the moment one context is created and then unset again,
 * leaving the bot's own globals unchanged.
 */
export function releaseStartupMemory(): void {
	v8.setFlagsFromString('--expose-gc');
	try {
		const gc = vm.runInNewContext('gc') as (options: object) => void;
		gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
	} finally {
		v8.setFlagsFromString('--no-expose-gc');
	}
}
