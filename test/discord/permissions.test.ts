import { PermissionFlagsBits, PermissionsBitField } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.ts';
import { POST_SONG, requirePermissions } from '../../src/discord/permissions.ts';

describe('requirePermissions', () => {
	it('GIVEN all permissions THEN passes', () => {
		const all = new PermissionsBitField(Object.keys(POST_SONG).map((k) => PermissionFlagsBits[k as 'ViewChannel']));
		expect(() => requirePermissions(all, POST_SONG, '<#1>')).not.toThrow();
	});

	it('GIVEN missing permissions THEN names each one and the channel', () => {
		const some = new PermissionsBitField([PermissionFlagsBits.ViewChannel, PermissionFlagsBits.SendMessages]);
		try {
			requirePermissions(some, POST_SONG, '<#42>');
			expect.unreachable();
		} catch (error) {
			expect(error).toBeInstanceOf(UserError);
			const message = (error as UserError).message;
			expect(message).toContain('<#42>');
			expect(message).toContain('**Embed Links**, **Attach Files**, **Read Message History**');
		}
	});
});
