import { describe, expect, it } from 'vitest';
import { ConfigError, formatConfigProblems, parseConfig } from '../src/config.ts';

const valid = {
	DISCORD_TOKEN: 'MTIz.abc.def',
	SUNO_PROVIDER: 'newapi',
	SUNO_BASE_URL: 'https://api.example.com',
	SUNO_API_KEY: 'sk-test-1234',
};

function problemsOf(env: Record<string, string>) {
	try {
		parseConfig(env);
	} catch (error) {
		if (error instanceof ConfigError) return error.problems;
		throw error;
	}
	throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
	it('GIVEN the required keys THEN fills every default and freezes the result', () => {
		const config = parseConfig(valid);
		expect(config.DISCORD_API_URL).toBe('https://discord.com/api');
		expect(config.STORE_URL).toBe('sqlite://./data/songbot.sqlite');
		expect(config.LOG_LEVEL).toBe('info');
		expect(config.STALL_TIMEOUT_SEC).toBe(600);
		expect(config.HTTP_PORT).toBeUndefined();
		expect(Object.isFrozen(config)).toBe(true);
	});

	it('GIVEN an empty environment THEN names every missing required key with a hint', () => {
		const problems = problemsOf({});
		expect(problems.map((p) => p.key).sort()).toEqual([
			'DISCORD_TOKEN',
			'SUNO_API_KEY',
			'SUNO_BASE_URL',
			'SUNO_PROVIDER',
		]);
		for (const p of problems) {
			expect(p.problem).toBe('missing');
			expect(p.hint.length).toBeGreaterThan(10);
		}
	});

	it('GIVEN invalid values THEN reports them as invalid without echoing the value', () => {
		const problems = problemsOf({ ...valid, SUNO_PROVIDER: 'suno', HTTP_PORT: '99999', STORE_URL: 'mysql://x' });
		expect(problems.map((p) => p.key).sort()).toEqual(['HTTP_PORT', 'STORE_URL', 'SUNO_PROVIDER']);
		const text = formatConfigProblems(problems);
		expect(text).toContain('SUNO_PROVIDER');
		expect(text).not.toContain('mysql://x');
	});

	it('GIVEN empty strings THEN treats them as unset', () => {
		const config = parseConfig({ ...valid, HTTP_PORT: '', DISCORD_GUILD_ID: ' ', LOG_LEVEL: '' });
		expect(config.HTTP_PORT).toBeUndefined();
		expect(config.DISCORD_GUILD_ID).toBeUndefined();
		expect(config.LOG_LEVEL).toBe('info');
	});

	it('GIVEN numbers and booleans as strings THEN coerces them', () => {
		const config = parseConfig({ ...valid, HTTP_PORT: '8080', AUDIO_ALLOW_HTTP: 'true', SHARDS: 'auto' });
		expect(config.HTTP_PORT).toBe(8080);
		expect(config.AUDIO_ALLOW_HTTP).toBe(true);
		expect(config.SHARDS).toBe('auto');
	});
});

describe('provider keys of issue 14', () => {
	it('GIVEN SUNO_MODELS, SUNO_VARIANT, SUNO_FEATURES and SUNO_WEBHOOK_KEY THEN valid values pass and bad ones are named', () => {
		const config = parseConfig({
			...valid,
			SUNO_MODELS: 'v6=chirp-xyz',
			SUNO_VARIANT: 'kie',
			SUNO_FEATURES: 'concat,-upload',
			SUNO_WEBHOOK_KEY: 'whk-0123456789',
		});
		expect(config).toMatchObject({ SUNO_MODELS: 'v6=chirp-xyz', SUNO_VARIANT: 'kie', SUNO_FEATURES: 'concat,-upload' });
		const problems = problemsOf({
			...valid,
			SUNO_MODELS: 'v6=a=b',
			SUNO_VARIANT: 'suno',
			SUNO_FEATURES: 'concat,karaoke',
			SUNO_WEBHOOK_KEY: 'short',
		});
		expect(Object.fromEntries(problems.map((p) => [p.key, p.problem]))).toEqual({
			SUNO_MODELS: 'invalid ("v6=a=b" is not name=provider-model)',
			SUNO_VARIANT: expect.stringMatching(/^invalid/),
			SUNO_FEATURES:
				'invalid ("karaoke" is not one of upload, concat, cover, callbacks, split, stems, wav, video, boost, replace, persona, timestamps, addVocals, addInstrumental (prefix - to turn one off))',
			SUNO_WEBHOOK_KEY: expect.stringMatching(/^invalid/),
		});
	});
});
