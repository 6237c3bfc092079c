import { describe, expect, it } from 'vitest';
import { plainText } from '../../../src/i18n/index.ts';
import { renderSettings, settingsProblem } from '../../../src/discord/views/settings.ts';

const defaults = { cooldownSec: 30, userDaily: 10, guildDaily: 100 };
/** The refusal as its English text. */
const problem = (...args: Parameters<typeof settingsProblem>) => {
	const found = settingsProblem(...args);
	return found && plainText(found);
};

describe('renderSettings', () => {
	it('GIVEN one override THEN says which limits are the server’s and what is left today', () => {
		const { embeds } = renderSettings({
			defaults,
			overrides: { userDaily: 0 },
			used: { user: 4, guild: 37 },
			resetsAt: Date.UTC(2026, 0, 2),
		});
		const fields = Object.fromEntries((embeds[0]?.fields ?? []).map((f) => [f.name, f.value]));
		expect(fields.Cooldown).toBe('30 s between two songs of one person · *bot default*');
		expect(fields['Songs per person per day']).toBe('unlimited · *set for this server*');
		expect(fields['Left today']).toBe('Server: 63 of 100 · You: no limit (4 made)');
		expect(fields['Daily limits reset']).toContain(`<t:${Date.UTC(2026, 0, 2) / 1000}:t>`);
	});
});

describe('renderSettings with caps and costs', () => {
	it('GIVEN a server that made lyrics free and capped songs at a time THEN both are listed with where they come from', () => {
		const { embeds } = renderSettings({
			defaults,
			overrides: { userRunning: 1, costs: { lyrics: 0, extend: 2 } },
			used: { user: 0, guild: 0 },
			resetsAt: Date.UTC(2026, 0, 2),
			capDefaults: { user: 2, guild: 10 },
		});
		const fields = Object.fromEntries((embeds[0]?.fields ?? []).map((f) => [f.name, f.value]));
		expect(fields['Songs being made at a time']).toBe(
			'per person: 1 · *set for this server*\nper server: 10 · *bot default*',
		);
		expect(fields['What each call counts against the daily limits']).toBe(
			[
				'new song: 1 song',
				'extension: 2 songs · *set for this server*',
				'remix: 1 song',
				'full song: 1 song',
				'lyrics: free · *set for this server*',
				'audio upload: 1 song',
				'split into vocals and instrumental: 1 song',
				'split into stems: 1 song',
				'WAV download: 1 song',
				'music video: 1 song',
				'style boost: 1 song',
				'section fix: 1 song',
				'house singer: 1 song',
				'song from your own audio: 1 song',
			].join('\n'),
		);
	});
});

describe('settingsProblem', () => {
	it('GIVEN a value out of range THEN names the option and the range', () => {
		expect(problem({ cooldownSec: -1 }, defaults)).toBe(
			'`cooldown` must be a whole number from 0 to 86400 seconds (0 = no limit).',
		);
		expect(problem({ guildDaily: 100_001 }, defaults)).toContain('`per_server` must be a whole number');
		expect(problem({ userRunning: -1 }, defaults)).toContain('`running_per_user` must be a whole number');
		expect(problem({ costs: { lyrics: 101 } }, defaults)).toBe(
			'`lyrics` must be a whole number from 0 to 100 (0 = free).',
		);
	});

	it('GIVEN a per-person limit above the server’s THEN refuses; lowering only the server’s is fine', () => {
		expect(problem({ userDaily: 50 }, { ...defaults, userDaily: 50, guildDaily: 20 })).toContain(
			'The limit per person (50) would be higher than the server’s (20)',
		);
		expect(problem({ guildDaily: 5 }, { ...defaults, guildDaily: 5 })).toBeUndefined();
		expect(problem({ userDaily: 50 }, { ...defaults, userDaily: 50, guildDaily: 0 })).toBeUndefined();
	});
});
