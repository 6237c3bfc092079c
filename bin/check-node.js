// Plain JavaScript on purpose: it runs before any TypeScript is loaded (`node --import ./bin/check-node.js …`,
// and first in bin/songbot.js), so an older Node prints one line saying what it needs instead of dying with
// ERR_UNKNOWN_FILE_EXTENSION on the first .ts file. Written for old runtimes: no syntax newer than Node 14.
import process from 'node:process';

/** Type stripping is on by default from 22.18 in the 22 line and from 23.6 in the 23 line. */
export const NODE_FLOOR = '22.18';

/** Why this Node cannot run songbot, or undefined when it can. */
export function nodeProblem(version, typescript) {
	const [major, minor] = String(version).split('.').map(Number);
	const supported = major > 23 || (major === 23 && minor >= 6) || (major === 22 && minor >= 18);
	if (!supported) {
		return `songbot needs Node.js ${NODE_FLOOR} or newer (23.x from 23.6; 24 LTS recommended), this is Node.js ${version}: install a newer one from https://nodejs.org`;
	}
	if (typescript === false) {
		return `songbot runs its TypeScript sources directly, but type stripping is turned off in this Node.js ${version} (remove --no-experimental-strip-types from NODE_OPTIONS)`;
	}
	return undefined;
}

const problem = nodeProblem(process.versions.node, process.features && process.features.typescript);
if (problem !== undefined) {
	process.stderr.write(`${problem}\n`);
	process.exit(1);
}
