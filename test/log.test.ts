import { Writable } from 'node:stream';
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
