import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import process from 'node:process';
import { Writable } from 'node:stream';
import { DiscordAPIError } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/log.ts';

const token = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GhIjKl.s3cr3t-T0ken_value';
const apiKey = 'sk-live/abc+def=ghi';

function capture() {
	const lines: string[] = [];
	const destination = new Writable({
		write(chunk, _enc, done) {
			lines.push(String(chunk));
			done();
		},
	});
	const log = createLogger({ level: 'trace', secrets: [token, apiKey], destination });
	return { log, text: () => lines.join('') };
}

describe('logger redaction', () => {
	it('GIVEN an error carrying the token and API key THEN neither appears in the output', () => {
		const { log, text } = capture();
		const error = new Error(
			`request to https://api.example.com/x?key=${encodeURIComponent(apiKey)} failed with Bot ${token}`,
		);
		Object.assign(error, { config: { headers: { authorization: `Bearer ${apiKey}` } }, token });
		log.error({ err: error, url: `https://discord.test/api/webhooks/1/${token}` }, `boom ${token}`);
		const out = text();
		expect(out).toContain('[REDACTED]');
		expect(out).toContain('boom');
		expect(out).not.toContain(token);
		expect(out).not.toContain(apiKey);
		expect(out).not.toContain(encodeURIComponent(apiKey));
	});

	it('GIVEN secrets in nested objects and JSON-escaped strings THEN they are scrubbed', () => {
		const { log, text } = capture();
		log.info({ nested: { deep: [{ value: `"${apiKey}"` }] }, apiKey }, 'details');
		const out = text();
		expect(out).not.toContain(apiKey);
		expect(out).not.toContain(JSON.stringify(apiKey).slice(1, -1));
		expect(JSON.parse(out).msg).toBe('details');
	});
});

describe('Discord interaction and webhook tokens', () => {
	const interactionToken =
		'aW50ZXJhY3Rpb246MTI4NzY1NDMyMTA5ODc2NTQzMjpYeXpBYmNEZWZHaGlKa2xNbm9QcVJzVHV2V3h5ejAxMjM0NTY3ODk';
	const webhookToken = 'Zm9sbG93dXAtdG9rZW4tZm9yLWEtd2ViaG9vay1tZXNzYWdlLXRoYXQtaXMtbG9uZw_-x9';

	it('GIVEN discord.js errors whose URLs carry an interaction or webhook token THEN the token is not logged', () => {
		const { log, text } = capture();
		const api = 'https://discord.com/api/v10';
		const callback = new DiscordAPIError(
			{ code: 10062, message: 'Unknown interaction' },
			10062,
			404,
			'POST',
			`${api}/interactions/1287654321098765432/${interactionToken}/callback?with_response=true`,
			{ body: { type: 5 } },
		);
		const followUp = new DiscordAPIError(
			{ code: 50027, message: 'Invalid Webhook Token' },
			50027,
			401,
			'PATCH',
			`${api}/webhooks/1187654321098765432/${webhookToken}/messages/@original`,
			{ body: { content: 'done' } },
		);
		log.error({ err: callback }, 'could not answer the interaction');
		log.warn({ err: followUp, interaction: { id: '1287654321098765432', token: interactionToken } }, 'edit failed');
		const out = text();
		expect(out).not.toContain(interactionToken);
		expect(out).not.toContain(webhookToken);
		// What an operator needs to find the failure stays: the route, the ids, the Discord error.
		expect(out).toContain('/interactions/1287654321098765432/[REDACTED]/callback?with_response=true');
		expect(out).toContain('/webhooks/1187654321098765432/[REDACTED]/messages/@original');
		expect(out).toContain('Unknown interaction');
		expect(out).toContain('DiscordAPIError[50027]');
		expect(
			out
				.trim()
				.split('\n')
				.map((line) => JSON.parse(line).msg),
		).toEqual(['could not answer the interaction', 'edit failed']);
	});
	it('GIVEN such an error rejected with nobody to catch it THEN the process logs it scrubbed and exits 1', () => {
		// What Node would print itself: the error with every property, the url and its token included.
		const script = `
			import { DiscordAPIError } from 'discord.js';
			import { createLogger, logProcessFailures } from './src/log.ts';
			logProcessFailures(createLogger({ level: 'info', secrets: [], pretty: false }));
			const url = 'https://discord.com/api/v10/interactions/1287654321098765432/${interactionToken}/callback';
			void Promise.reject(new DiscordAPIError({ code: 10062, message: 'Unknown interaction' }, 10062, 404, 'POST', url, {}));
		`;
		const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
			cwd: join(import.meta.dirname, '..'),
			encoding: 'utf8',
			timeout: 20_000,
		});
		expect(result.status).toBe(1);
		expect(result.stdout + result.stderr).not.toContain(interactionToken);
		const line = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as {
			msg?: string;
			err?: { url?: string };
		};
		expect(line.msg).toBe('unhandled promise rejection');
		expect(line.err?.url).toBe('https://discord.com/api/v10/interactions/1287654321098765432/[REDACTED]/callback');
	});
});
