import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { callbackUrl, resolveCallbackSecret } from '../../src/http/index.ts';
import { secretMatches } from '../../src/http/secret.ts';
import { createLogger } from '../../src/log.ts';
import { openStore } from '../../src/store/index.ts';

const log = createLogger({ level: 'silent', secrets: [], pretty: false });
const dir = mkdtempSync(join(tmpdir(), 'songbot-secret-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('callback secret', () => {
	it('GIVEN no CALLBACK_SECRET THEN one is generated once and the same one is used after a restart', async () => {
		const url = `sqlite://${join(dir, 'a.sqlite')}`;
		const store = await openStore(url, { log });
		const first = await resolveCallbackSecret(store, undefined);
		expect(first).toMatch(/^[A-Za-z0-9_-]{40,}$/);
		await store.close();
		const restarted = await openStore(url, { log });
		expect(await resolveCallbackSecret(restarted, undefined)).toBe(first);
		expect(await resolveCallbackSecret(restarted, 'configured-secret-123')).toBe('configured-secret-123');
		await restarted.close();
	});

	it('GIVEN a public base URL THEN callback URLs carry the encoded secret and the family', () => {
		expect(callbackUrl('https://bot.example/', 'a b/c', 'sunoapi')).toBe(
			'https://bot.example/callbacks/a%20b%2Fc/sunoapi',
		);
	});

	it('GIVEN candidates of any length THEN only the exact secret matches', () => {
		expect(secretMatches('s'.repeat(32), 's'.repeat(32))).toBe(true);
		expect(secretMatches('s'.repeat(31), 's'.repeat(32))).toBe(false);
		expect(secretMatches('', 's'.repeat(32))).toBe(false);
	});
});
