import type { Client } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slash } from '../../src/discord/i18n.ts';
import { deployCommands } from '../../src/discord/deploy.ts';
import { createLogger } from '../../src/log.ts';
import { type BareClient, connectBareClient } from '../doubles/discord/bare-client.ts';
import { type DiscordDouble, startDiscordDouble } from '../doubles/discord/harness.ts';

/** Registration at start-up: localized commands are accepted, and only a real change is sent again. */
describe('deployCommands', () => {
	let double: DiscordDouble;
	let bot: BareClient;
	const log = createLogger({ level: 'silent', secrets: [] });
	beforeAll(async () => {
		double = await startDiscordDouble();
		bot = await connectBareClient(double);
	});
	afterAll(async () => {
		await bot.client.destroy();
		await double.stop();
	});

	const stop = { ...slash('cmd.stop'), dm_permission: false };
	const deploy = (commands: object[]) =>
		deployCommands(bot.client as Client<true>, commands as never, log, double.guild.id);

	it('GIVEN localized commands THEN Discord takes them, and the same list again is not re-sent', async () => {
		expect(await deploy([stop])).toBe('updated');
		expect(double.commands.find((c) => c.name === 'stop')?.name_localizations).toMatchObject({ 'zh-CN': '停止' });
		expect(await deploy([stop])).toBe('unchanged');
	});

	it('GIVEN only a translation changed THEN the commands are sent again', async () => {
		const changed = { ...stop, description_localizations: { ...stop.description_localizations, ja: '止める' } };
		expect(await deploy([changed])).toBe('updated');
		expect(double.commands.find((c) => c.name === 'stop')?.description_localizations).toMatchObject({ ja: '止める' });
		expect(await deploy([changed])).toBe('unchanged');
	});
});
