/**
 * Component and modal custom ids carry all the state a button needs (`command:action:arg…`), so buttons keep
 * working after a restart: nothing lives in memory. Discord caps a custom id at 100 characters.
 */

export const CUSTOM_ID_MAX = 100;

export interface ParsedCustomId {
	/** The command that owns the component, e.g. `song`. */
	command: string;
	action: string;
	args: string[];
}

const NAME = /^[a-z][a-z0-9-]*$/;

export function encodeCustomId(command: string, action: string, ...args: (string | number)[]): string {
	if (!NAME.test(command) || !NAME.test(action)) throw new Error(`invalid custom id name: ${command}:${action}`);
	const id = [command, action, ...args.map((a) => encodeURIComponent(String(a)))].join(':');
	if (id.length > CUSTOM_ID_MAX) throw new Error(`custom id over ${CUSTOM_ID_MAX} characters: ${id}`);
	return id;
}

/** Returns undefined for ids this bot did not make (e.g. from an older version), so callers can answer kindly. */
export function decodeCustomId(id: string): ParsedCustomId | undefined {
	const [command, action, ...rest] = id.split(':');
	if (command === undefined || action === undefined || !NAME.test(command) || !NAME.test(action)) return undefined;
	try {
		return { command, action, args: rest.map((a) => decodeURIComponent(a)) };
	} catch {
		return undefined;
	}
}
