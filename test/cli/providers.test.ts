import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.ts';
import { createLogger } from '../../src/log.ts';
import { featuresKey } from '../../src/providers/learn.ts';
import { type FakeProvider, startFakeProvider } from '../doubles/providers/index.ts';
import { connect, reason, runCli, tempDir } from './run-cli.ts';

/** The CLI with each family's own model names, and doctor naming the variant, the features and the credits. */

let stock: FakeProvider;
let kie: FakeProvider;
let gateway: FakeProvider;
beforeAll(async () => {
	stock = await startFakeProvider({ family: 'newapi', mode: 'newapi' });
	kie = await startFakeProvider({ family: 'sunoapi', mode: 'kie', credits: 730 });
	gateway = await startFakeProvider({ family: 'v1music' });
});
afterAll(async () => {
	await stock.close();
	await kie.close();
	await gateway.close();
});

describe('songbot generate --model <native name>', () => {
	it.each([
		['newapi', 'chirp-crow', 'mv'],
		['sunoapi', 'V4_5PLUS', 'model'],
		['v1music', 'suno-v5', 'model'],
	] as const)(
		'GIVEN %s and --model %s THEN the song is made with it and both takes saved',
		async (family, model, field) => {
			const fake = { newapi: stock, sunoapi: kie, v1music: gateway }[family];
			const out = tempDir();
			const result = await runCli([
				'generate',
				...connect(fake),
				'--description',
				'rain',
				'--model',
				model,
				'--out',
				out,
				'--json',
			]);
			expect(result.code).toBe(0);
			expect((fake.requestsOf('submit').at(-1)?.body as Record<string, unknown>)[field]).toBe(model);
			expect(result.json?.clips).toHaveLength(2);
		},
	);

	it('GIVEN a model the provider does not have THEN exit 2 listing the accepted names, nothing sent', async () => {
		const before = kie.requests.length;
		const result = await runCli(['generate', ...connect(kie), '--description', 'rain', '--model', 'chirp-crow']);
		expect(result.code).toBe(2);
		expect(reason(result)).toMatch(/Unknown model "chirp-crow"\. This provider accepts: v4, .*V4_5PLUS/);
		expect(kie.requests.length).toBe(before);
	});

	it('GIVEN SUNO_MODELS declaring a new model THEN --model uses it by its name', async () => {
		const result = await runCli(['generate', ...connect(stock), '--description', 'rain', '--model', 'v6', '--json'], {
			env: { SUNO_MODELS: 'v6=chirp-xyz' },
		});
		expect(result.code).toBe(0);
		expect((stock.requestsOf('music').at(-1)?.body as { mv?: string }).mv).toBe('chirp-xyz');
	});
});

describe('songbot doctor on today’s providers', () => {
	it('GIVEN kie.ai THEN it names the variant, what it offers and the credits', async () => {
		const result = await runCli(['doctor'], {
			env: {
				SUNO_PROVIDER: 'sunoapi',
				SUNO_BASE_URL: kie.baseUrl,
				SUNO_API_KEY: kie.apiKey,
				SUNO_VARIANT: 'kie',
				DATA_DIR: tempDir(),
			},
		});
		expect(result.stdout).toMatch(/^ok {4}variant: kie\.ai$/m);
		expect(result.stdout).toMatch(/^ok {4}features: music, lyrics, extend, uploads, covers; not offered: full songs/m);
		expect(result.stdout).toContain(`ok    credits: ${kie.credits} left\n`);
	});

	it('GIVEN a stock new-api THEN the probe finds no concat and no uploads, charges nothing, and saves that for the bot', async () => {
		const dataDir = tempDir();
		const env = {
			DISCORD_TOKEN: 'MTIz.discord-token-secret',
			SUNO_PROVIDER: 'newapi',
			SUNO_BASE_URL: stock.baseUrl,
			SUNO_API_KEY: stock.apiKey,
			DATA_DIR: dataDir,
		};
		const tasks = stock.tasks.size;
		const result = await runCli(['doctor'], { env });
		expect(result.stdout).toMatch(/^ok {4}variant: new-api\/one-hub relay \(music and lyrics only\)$/m);
		expect(result.stdout).toMatch(
			/^ok {4}features: music, lyrics, extend; not offered: uploads, covers, full songs \(concat\) \(their buttons are hidden\)$/m,
		);
		expect(result.stdout).toMatch(/^ok {4}credits: not reported by the newapi family$/m);
		expect(result.stdout).toMatch(/^ok {4}features saved: /m);
		expect(stock.tasks.size).toBe(tasks);
		const store = await openStore(`sqlite://${join(dataDir, 'songbot.sqlite')}`, {
			log: createLogger({ level: 'silent', secrets: [] }),
		});
		try {
			expect(await store.getValue(featuresKey('newapi', stock.baseUrl))).toEqual({ concat: false, upload: false });
		} finally {
			await store.close();
		}
	});
});
