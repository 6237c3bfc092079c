import { describe, expect, it } from 'vitest';
import { validateCommands } from './commands.ts';

/** The double refuses command registrations Discord would refuse, localizations included. */
describe('command registration rules of the double', () => {
	const command = (extra: Record<string, unknown> = {}) => ({ name: 'song', description: 'Make a song', ...extra });

	it('GIVEN localized names and descriptions Discord accepts THEN nothing is refused', () => {
		const ok = command({
			name_localizations: { 'zh-CN': '歌曲', ja: 'クールダウン', 'es-419': 'canción', 'pt-BR': 'música' },
			description_localizations: { 'zh-CN': '用 AI 做一首歌' },
			options: [
				{
					type: 3,
					name: 'mode',
					description: 'Mode',
					choices: [{ name: 'describe it', value: 'describe', name_localizations: { ja: '曲を説明する' } }],
				},
			],
		});
		expect(validateCommands([ok])).toEqual([]);
	});

	it('GIVEN an uppercase name, an unknown locale, a long description or choice THEN each is refused where it is', () => {
		const bad = command({
			name_localizations: { 'zh-CN': 'Song', xx: 'song' },
			description_localizations: { ja: 'あ'.repeat(101) },
			options: [
				{
					type: 3,
					name: 'mode',
					description: 'Mode',
					choices: [{ name: 'ok', value: 'ok', name_localizations: { 'pt-BR': '' } }],
				},
			],
		});
		expect(validateCommands([bad]).map((p) => p.path.join('.'))).toEqual([
			'0.name_localizations.zh-CN',
			'0.name_localizations.xx',
			'0.description_localizations.ja',
			'0.options.0.choices.0.name_localizations.pt-BR',
		]);
	});
});
