import { existsSync } from 'node:fs';
import process from 'node:process';
import { concat, extend, generate, lyrics } from './commands.ts';
import { doctor } from './doctor.ts';
import { EXIT, type ExitCode } from './exit.ts';
import { parseSubcommand, SPECS, type Subcommand, USAGE } from './options.ts';
import { type Io, reportError } from './run.ts';
import { boost, persona, replace, split, video, wav } from './studio.ts';

/**
 * `songbot <command>`: operators test their provider setup with the bot's own provider layer.
 * Run as `npm run cli -- <command>` or through the `songbot` bin.
 */
export async function runCli(
	argv: readonly string[],
	env: Record<string, string | undefined>,
	io: Io,
): Promise<ExitCode> {
	const [command, ...rest] = argv;
	if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
		io.stdout.write(USAGE);
		return command === undefined ? EXIT.invalid : EXIT.ok;
	}
	if (!(command in SPECS)) {
		io.stderr.write(`songbot: unknown command "${command}"\n\n${USAGE}`);
		return EXIT.invalid;
	}
	const json = rest.includes('--json');
	let values: ReturnType<typeof parseSubcommand>;
	try {
		values = parseSubcommand(command as Subcommand, rest);
	} catch (error) {
		const code = reportError(io, json, error);
		if (!json) io.stderr.write('run "songbot help" for the commands and options\n');
		return code;
	}
	if (values.help === true) {
		io.stdout.write(USAGE);
		return EXIT.ok;
	}
	const ctx = { values, env, io };
	switch (command as Subcommand) {
		case 'generate':
			return generate(ctx);
		case 'extend':
			return extend(ctx);
		case 'lyrics':
			return lyrics(ctx);
		case 'concat':
			return concat(ctx);
		case 'doctor':
			return doctor(values, env, io);
		case 'split':
			return split(ctx);
		case 'wav':
			return wav(ctx);
		case 'video':
			return video(ctx);
		case 'boost':
			return boost(ctx);
		case 'replace':
			return replace(ctx);
		case 'persona':
			return persona(ctx);
	}
}

// Like the bot: a .env file in the working directory is read, real environment variables win.
if (existsSync('.env')) process.loadEnvFile('.env');
process.exitCode = await runCli(process.argv.slice(2), process.env, { stdout: process.stdout, stderr: process.stderr });
