import { DiscordAPIError, Routes } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BareClient, connectBareClient } from './bare-client.ts';
import { type DiscordDouble, startDiscordDouble } from './harness.ts';

/**
 * `PUT /channels/{id}/voice-status` as Discord answers it: SET_VOICE_CHANNEL_STATUS, plus MANAGE_CHANNELS for a
 * member not connected to the channel; voice channels only; at most 500 characters; 204 with no body.
 */
let double: DiscordDouble;
let bot: BareClient;

beforeAll(async () => {
	double = await startDiscordDouble();
	bot = await connectBareClient(double);
});

afterAll(async () => {
	await bot.client.destroy();
	await double.stop();
});

const put = (channelId: string, status: string | null) =>
	bot.client.rest.put(`${Routes.channel(channelId)}/voice-status`, { body: { status } });

async function codeOf(action: Promise<unknown>): Promise<number | string | undefined> {
	const error = await action.then(
		() => undefined,
		(e: unknown) => e,
	);
	return error instanceof DiscordAPIError ? error.code : undefined;
}

describe('voice channel status in the Discord double', () => {
	it('GIVEN the bot outside the channel WHEN it sets the status THEN 50013 unless it may manage the channel', async () => {
		const voice = double.channel('General');
		expect(await codeOf(put(voice.id, 'hello'))).toBe(50013);
		expect(voice.voiceStatus).toBeNull();

		voice.setPermissions('bot', { allow: ['MANAGE_CHANNELS'] });
		try {
			await put(voice.id, '🎵 Night Drive · take 2 — by @alice');
			expect(voice.voiceStatus).toBe('🎵 Night Drive · take 2 — by @alice');
			await put(voice.id, null);
			expect(voice.voiceStatus).toBeNull();
			expect(voice.voiceStatusHistory).toEqual(['🎵 Night Drive · take 2 — by @alice', null]);
		} finally {
			voice.setPermissions('bot', {});
		}
	});

	it('GIVEN SET_VOICE_CHANNEL_STATUS denied THEN 50013 even with MANAGE_CHANNELS', async () => {
		const voice = double.channel('General');
		voice.setPermissions('bot', { allow: ['MANAGE_CHANNELS'], deny: ['SET_VOICE_CHANNEL_STATUS'] });
		try {
			expect(await codeOf(put(voice.id, 'hello'))).toBe(50013);
		} finally {
			voice.setPermissions('bot', {});
		}
	});

	it('GIVEN a text channel or a status over 500 characters THEN Discord refuses it', async () => {
		const voice = double.channel('General');
		expect(await codeOf(put(double.channel('general').id, 'hello'))).toBe(50024);
		voice.setPermissions('bot', { allow: ['MANAGE_CHANNELS'] });
		try {
			expect(await codeOf(put(voice.id, 'x'.repeat(501)))).toBe(50035);
			expect(voice.voiceStatus).toBeNull();
		} finally {
			voice.setPermissions('bot', {});
		}
	});
});
