import { describe, expect, it } from 'vitest';
import { decodeCustomId } from '../../../src/discord/custom-id.ts';
import { type PlayerView, renderPlayer, voiceStatusText } from '../../../src/discord/views/player.ts';
import type { PlayerSnapshot, QueueEntry } from '../../../src/voice/types.ts';

const ALICE = '111111111111111111';
const BOB = '222222222222222222';
const VOICE = '333333333333333333';

function entry(key: number, title: string, durationSec?: number): QueueEntry {
	return {
		key,
		requestedBy: BOB,
		take: {
			id: `clip-${key}`,
			title,
			authors: [`<@${ALICE}>`],
			...(durationSec !== undefined ? { durationSec } : {}),
			source: { kind: 'file', path: '/x.mp3' },
		},
	};
}

function snapshot(overrides: Partial<PlayerSnapshot> = {}): PlayerSnapshot {
	return {
		guildId: 'g',
		channelId: VOICE,
		status: 'playing',
		current: { entry: entry(1, 'Night Drive', 125), positionMs: 63_000 },
		upcoming: [],
		queued: 0,
		controls: { pause: true, resume: false, skip: true, stop: true, shuffle: false },
		loop: 'off',
		leavesAt: undefined,
		...overrides,
	};
}

const view = (overrides: Partial<PlayerView> = {}): PlayerView => ({ snapshot: snapshot(), notes: [], ...overrides });
const buttons = (payload: ReturnType<typeof renderPlayer>) =>
	payload.components.flatMap((row) =>
		row.components.map((b) => ({
			label: 'label' in b ? b.label : undefined,
			id: 'custom_id' in b ? b.custom_id : undefined,
			disabled: b.disabled === true,
		})),
	);

describe('renderPlayer', () => {
	it('GIVEN a take playing THEN shows its title, authors, who played it, position and length, in the voice channel', () => {
		const embed = renderPlayer(view()).embeds[0]!;
		expect(embed.title).toBe('🎶 Now playing');
		expect(embed.description).toContain(`In <#${VOICE}>`);
		expect(embed.description).toContain('**\u2068Night Drive\u2069**');
		expect(embed.description).toContain(`by <@${ALICE}> · played by <@${BOB}>`);
		expect(embed.description).toMatch(/`1:03` [▰▱]{14} `2:05`/);
	});

	it('GIVEN a take playing THEN Pause, Skip and Stop are enabled and owned by the play command', () => {
		const all = buttons(renderPlayer(view()));
		expect(all).toEqual([
			{ label: 'Pause', id: 'play:pause', disabled: false },
			{ label: 'Skip', id: 'play:skip', disabled: false },
			{ label: 'Stop', id: 'play:stop', disabled: false },
			{ label: 'Loop: off', id: 'play:loop', disabled: false },
			{ label: 'Shuffle', id: 'play:shuffle', disabled: true },
		]);
		for (const b of all) expect(decodeCustomId(b.id!)?.command).toBe('play');
	});

	it('GIVEN the player paused THEN the toggle offers Resume', () => {
		const paused = snapshot({
			status: 'paused',
			controls: { pause: false, resume: true, skip: true, stop: true, shuffle: false },
		});
		const payload = renderPlayer(view({ snapshot: paused }));
		expect(payload.embeds[0]!.title).toBe('⏸️ Paused');
		expect(buttons(payload)[0]).toEqual({ label: 'Resume', id: 'play:resume', disabled: false });
	});

	it('GIVEN the queue has ended THEN Pause and Skip are disabled and the message says so', () => {
		const idle = snapshot({
			status: 'idle',
			current: undefined,
			controls: { pause: false, resume: false, skip: false, stop: true, shuffle: false },
		});
		const payload = renderPlayer(view({ snapshot: idle }));
		expect(payload.embeds[0]!.title).toBe('💤 The queue has ended');
		expect(buttons(payload).map((b) => b.disabled)).toEqual([true, true, false, false, true]);
	});

	it('GIVEN takes waiting THEN lists the next ones in order with their length, and how many more', () => {
		const upcoming = [entry(2, 'Second', 9), entry(3, 'Third', 12), entry(4, 'Fourth')];
		const field = renderPlayer(view({ snapshot: snapshot({ upcoming, queued: 7 }) })).embeds[0]!.fields![0]!;
		expect(field.name).toBe('Up next (7)');
		expect(field.value.split('\n')).toEqual([
			`1. **\u2068Second\u2069** · 0:09 · played by <@${BOB}>`,
			`2. **\u2068Third\u2069** · 0:12 · played by <@${BOB}>`,
			`3. **\u2068Fourth\u2069** · played by <@${BOB}>`,
			'…and 4 more',
		]);
	});

	it('GIVEN Arabic and Hebrew titles THEN the playing take and the queue isolate them, and the length stays after', () => {
		const current = { entry: entry(1, 'أغنية الصباح', 10), positionMs: 0 };
		const embed = renderPlayer(view({ snapshot: snapshot({ current, upcoming: [entry(2, 'שיר הבוקר', 9)] }) }))
			.embeds[0]!;
		expect(embed.description).toContain('**\u2068أغنية الصباح\u2069**');
		expect(embed.fields![0]!.value).toContain(`1. **\u2068שיר הבוקר\u2069** · 0:09 · played by <@${BOB}>`);
	});

	it('GIVEN a title with markdown THEN it shows as typed', () => {
		const current = { entry: entry(1, '**Loud** _song_', 10), positionMs: 0 };
		const description = renderPlayer(view({ snapshot: snapshot({ current }) })).embeds[0]!.description!;
		expect(description).toContain('**\u2068\\*\\*Loud\\*\\* \\_song\\_\u2069**');
	});

	it('GIVEN a take was skipped because it could not be played THEN the message says which and why', () => {
		const notes = ['Skipped **Broken**: This take could not be played: its audio file is damaged or not audio.'];
		expect(renderPlayer(view({ notes })).embeds[0]!.description).toContain(
			'⚠️ Skipped **Broken**: This take could not be played',
		);
	});

	it('GIVEN the connection dropped THEN it says it is reconnecting', () => {
		const payload = renderPlayer(view({ snapshot: snapshot({ status: 'connecting' }), reconnectAttempt: 2 }));
		expect(payload.embeds[0]!.title).toBe('🔌 Reconnecting…');
		expect(payload.embeds[0]!.description).toContain('attempt 2');
	});

	it('GIVEN someone stopped the player THEN it says who, and every button is disabled', () => {
		const left = snapshot({
			status: 'left',
			current: undefined,
			controls: { pause: false, resume: false, skip: false, stop: false, shuffle: false },
		});
		const payload = renderPlayer(view({ snapshot: left, left: { reason: 'stopped', by: ALICE } }));
		expect(payload.embeds[0]!.title).toBe('👋 Left the voice channel');
		expect(payload.embeds[0]!.description).toContain(`Stopped by <@${ALICE}>.`);
		expect(buttons(payload).every((b) => b.disabled)).toBe(true);
	});

	it('GIVEN the player left on its own THEN the reason is given and the buttons are disabled even if the snapshot is older', () => {
		const payload = renderPlayer(view({ left: { reason: 'channel_empty' } }));
		expect(payload.embeds[0]!.description).toContain('Everyone left the voice channel.');
		expect(payload.embeds[0]!.fields).toEqual([]);
		expect(buttons(payload).every((b) => b.disabled)).toBe(true);
	});

	it('GIVEN takes waiting THEN a menu offers each of them for removal, and Shuffle is enabled', () => {
		const upcoming = [entry(7, 'Second', 9), entry(9, 'Third')];
		const payload = renderPlayer(
			view({ snapshot: snapshot({ upcoming, queued: 2, controls: { ...snapshot().controls, shuffle: true } }) }),
		);
		expect(buttons(payload).find((b) => b.label === 'Shuffle')?.disabled).toBe(false);
		const menu = payload.components[2]!.components[0]!;
		expect(menu).toMatchObject({ type: 3, custom_id: 'play:remove', placeholder: 'Remove a take from the queue…' });
		expect('options' in menu && menu.options.map((o) => [o.label, o.value])).toEqual([
			['1. Second', '7'],
			['2. Third', '9'],
		]);
	});

	it('GIVEN nothing waiting THEN there is no Remove menu', () => {
		expect(renderPlayer(view()).components).toHaveLength(2);
	});

	it('GIVEN each loop mode THEN the Loop button says which', () => {
		const label = (loop: PlayerSnapshot['loop']) =>
			buttons(renderPlayer(view({ snapshot: snapshot({ loop }) }))).find((b) => b.id === 'play:loop')?.label;
		expect([label('off'), label('take'), label('queue')]).toEqual(['Loop: off', 'Loop: this take', 'Loop: queue']);
	});

	it('GIVEN the player paused THEN it says when it leaves unless resumed, in Discord relative time', () => {
		const paused = snapshot({ status: 'paused', leavesAt: 1_700_000_600_000 });
		expect(renderPlayer(view({ snapshot: paused })).embeds[0]!.description).toContain(
			'I leave the channel <t:1700000600:R>',
		);
		const left = renderPlayer(view({ left: { reason: 'pause_timeout' } })).embeds[0]!.description;
		expect(left).toContain('Nobody resumed the pause, so I left the channel.');
	});
});

describe('voiceStatusText', () => {
	it('GIVEN a take with its number and maker THEN reads like the channel status people expect', () => {
		expect(voiceStatusText('Night Drive', 2, 'alice')).toBe('🎵 Night Drive · take 2 — by @alice');
		expect(voiceStatusText('Night Drive', undefined, undefined)).toBe('🎵 Night Drive');
	});

	it('GIVEN karaoke lyrics THEN the line sung now is bold after a microphone and the next one is small under it', () => {
		const text = renderPlayer(view({ lyrics: { current: 'Neon *rain*', next: 'falls down' } })).embeds[0]?.description;
		expect(text).toContain('🎤 **Neon \\*rain\\***\n-# falls down');
		expect(renderPlayer(view()).embeds[0]?.description).not.toContain('🎤');
	});
});
