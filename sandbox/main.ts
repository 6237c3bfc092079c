/**
 * `npm run sandbox`: the real bot against a local Discord double and a simulated music provider, with a playground
 * page to use it from a browser. Offline, no Discord application or API key needed.
 *
 *   node sandbox/main.ts [--port 8484] [--step-ms 5000] [--log-level warn] [--users alice,bob,carol]
 *                        [--family sunoapi|newapi]
 *
 * Prints the page's URL; stops on Ctrl+C. Quotas and the default model can be tried out through the bot's own
 * environment keys, e.g. `COOLDOWN_SEC=30 USER_DAILY_LIMIT=3 npm run sandbox`.
 */
import process from 'node:process';
import { parseArgs } from 'node:util';
import { startSandbox } from './sandbox.ts';

const { values } = parseArgs({
	options: {
		port: { type: 'string', default: '8484' },
		'step-ms': { type: 'string', default: '5000' },
		'log-level': { type: 'string', default: 'warn' },
		users: { type: 'string', default: 'alice,bob,carol' },
		// Family B by default: its simulated provider has the studio tools, so the page shows the most.
		family: { type: 'string', default: 'sunoapi' },
		help: { type: 'boolean', short: 'h', default: false },
	},
});

if (values.help) {
	process.stdout.write(
		'usage: npm run sandbox -- [--port 8484] [--step-ms 5000] [--log-level warn] [--users alice,bob]' +
			' [--family sunoapi|newapi]\n',
	);
	process.exit(0);
}

const number = (name: string, text: string): number => {
	const value = Number(text);
	if (!Number.isInteger(value) || value < 0) {
		process.stderr.write(`--${name} must be a whole number, got "${text}"\n`);
		process.exit(2);
	}
	return value;
};

if (values.family !== 'sunoapi' && values.family !== 'newapi') {
	process.stderr.write(`--family must be sunoapi or newapi, got "${values.family}"\n`);
	process.exit(2);
}

const sandbox = await startSandbox({
	family: values.family,
	port: number('port', values.port),
	stepMs: Math.max(100, number('step-ms', values['step-ms'])),
	logLevel: values['log-level'],
	users: values.users
		.split(',')
		.map((u) => u.trim().toLowerCase())
		.filter(Boolean),
	env: process.env,
});

process.stdout.write(
	[
		'',
		`  songbot sandbox: ${sandbox.url}`,
		'',
		'  The real bot, a local Discord double and a simulated music provider, all on this machine.',
		'  Open the page, type /song, and switch users to try it together. Ctrl+C stops everything.',
		'',
		'',
	].join('\n'),
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	process.once(signal, () => {
		// The doubles' waits can hold timers for a while: exit once everything is closed.
		void sandbox.close().finally(() => process.exit(0));
	});
}
