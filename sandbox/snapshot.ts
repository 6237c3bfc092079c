/**
 * What one person sees in the playground, read from the Discord double through its driver API (channel messages,
 * their ephemeral replies, voice members, registered commands) and from the voice server's frame record.
 */
import type { DiscordDouble, MessageView } from '../test/doubles/discord/index.ts';
import { isSilence } from '../test/doubles/discord/voice/frames.ts';
import type { VoiceServer } from '../test/doubles/discord/voice/server.ts';
import type { MessageDto, ModalDto, Person, Snapshot, VoiceDto } from './page/types.ts';

const DISCORD_EPOCH = 1_420_070_400_000n;

/** The sandbox guild as the playground shows it. */
export interface World {
	double: DiscordDouble;
	voice: VoiceServer;
	botName: string;
	/** The sandbox users, in the order the user switcher lists them; the first is the default. */
	users: readonly string[];
	textChannels: readonly string[];
	voiceChannel: string;
}

/** Time a snowflake was made, in ms. */
export function snowflakeTime(id: string): number {
	return Number((BigInt(id) >> 22n) + DISCORD_EPOCH);
}

export function people(world: World): { bot: Person; users: Person[]; byId: Map<string, Person> } {
	const bot = { id: world.double.applicationId, name: world.botName, bot: true };
	// The sandbox users first; the double's own (the guild owner, for admin commands) after them.
	const rank = (name: string) => (world.users.includes(name) ? world.users.indexOf(name) : world.users.length);
	const users = world.double.users
		.map((u) => ({ id: u.id, name: u.name, bot: false }))
		.sort((a, b) => rank(a.name) - rank(b.name));
	return { bot, users, byId: new Map([bot, ...users].map((p) => [p.id, p])) };
}

/** Counts sound frames incrementally, so a snapshot does not re-read the whole record each time. */
export class VoiceMeter {
	#seen = 0;
	#sound = 0;
	#lastAt = 0;

	read(voice: VoiceServer, guildId: string): { audioSec: number; speaking: boolean } {
		const frames = voice.frames(guildId);
		if (frames.length < this.#seen) this.#seen = 0;
		for (; this.#seen < frames.length; this.#seen++) {
			const frame = frames[this.#seen];
			if (frame && !isSilence(frame)) {
				this.#sound++;
				this.#lastAt = frame.arrivedAt;
			}
		}
		return { audioSec: (this.#sound * 20) / 1000, speaking: performance.now() - this.#lastAt < 500 };
	}
}

export function messageDto(
	view: MessageView,
	byId: Map<string, Person>,
	voted: (message: string) => number | undefined = () => undefined,
): MessageDto {
	const person = (id: string): Person => byId.get(id) ?? { id, name: `user ${id.slice(-4)}`, bot: false };
	return {
		id: view.id,
		at: snowflakeTime(view.id),
		author: person(view.authorId),
		content: view.content,
		embeds: view.embeds,
		components: view.components,
		controls: view.controls.map((c, index) => ({ index, ...c })),
		attachments: view.attachments.map((a) => ({
			id: a.id,
			filename: a.filename,
			contentType: a.contentType,
			size: a.size,
			url: `/api/attachments/${view.id}/${a.id}/${encodeURIComponent(a.filename)}`,
			durationSecs: a.durationSecs,
		})),
		ephemeral: view.ephemeral,
		loading: view.loading,
		edited: view.edited,
		interaction: view.interaction && { user: person(view.interaction.userId), command: view.interaction.commandName },
		poll: view.poll && { ...view.poll, voted: voted(view.id) ?? null },
		pollResult: view.type === POLL_RESULT ? pollResultOf(view) : null,
	};
}

/** Discord's message type of a poll's result, posted when the poll ends. */
const POLL_RESULT = 46;

/** The `poll_result` embed's fields, read as Discord's client reads them. */
function pollResultOf(view: MessageView): MessageDto['pollResult'] {
	const fields = (view.embeds[0]?.fields ?? []) as { name: string; value: string }[];
	const field = (name: string) => fields.find((f) => f.name === name)?.value;
	return {
		question: field('poll_question_text') ?? '',
		winner: field('victor_answer_text') ?? null,
		votes: Number(field('victor_answer_votes') ?? 0),
		total: Number(field('total_votes') ?? 0),
	};
}

/** A message by id, wherever it is: in a text channel or among someone's ephemeral replies. */
export function findMessage(world: World, id: string): MessageView | undefined {
	for (const name of world.textChannels) {
		const found = world.double.channel(name).messages.find((m) => m.id === id);
		if (found) return found;
	}
	for (const thread of world.double.guild.channels.filter((c) => c.thread)) {
		const found = thread.messages.find((m) => m.id === id);
		if (found) return found;
	}
	for (const user of world.double.users) {
		const found = user.ephemeralReplies.find((m) => m.id === id);
		if (found) return found;
	}
	return undefined;
}

export interface SnapshotInput {
	user: string;
	channel: string;
	modal: ModalDto | null;
	notices: { id: string; text: string }[];
	voice: { audioSec: number; speaking: boolean };
	/** The language of the user's Discord client. */
	locale: string;
	/** The answer the user voted for in a message's poll. */
	voted: (message: string) => number | undefined;
	/** How many of the latest channel messages to send. */
	limit?: number;
}

export function buildSnapshot(world: World, input: SnapshotInput): Snapshot {
	const { double } = world;
	const { bot, users, byId } = people(world);
	const me = users.find((u) => u.name === input.user) ?? (users[0] as Person);
	const channel = double.channel(input.channel);
	const mine = double.user(me.name).ephemeralReplies.filter((m) => m.channelId === channel.id);
	const views = [...channel.messages.slice(-(input.limit ?? 100)), ...mine].sort((a, b) =>
		BigInt(a.id) < BigInt(b.id) ? -1 : 1,
	);
	const voiceChannel = double.channel(world.voiceChannel);
	const members = voiceChannel.voiceMembers.map((id) => byId.get(id) ?? { id, name: id, bot: false });
	const voice: VoiceDto = {
		channelId: voiceChannel.id,
		channelName: voiceChannel.name,
		members,
		joined: members.some((m) => m.id === me.id),
		...input.voice,
		// The last frames may be a moment old when the bot leaves: a bot that is gone is not playing.
		speaking: input.voice.speaking && members.some((m) => m.bot),
		status: voiceChannel.voiceStatus,
	};
	return {
		guild: double.guild.name,
		me,
		users,
		bot,
		channels: [
			...world.textChannels.map((name) => ({ id: double.channel(name).id, name })),
			// Threads (a /jam's) are listed after the channels, by their own name, as Discord lists them.
			...double.guild.channels.filter((c) => c.thread).map((c) => ({ id: c.id, name: c.name })),
		],
		channel: { id: channel.id, name: channel.name },
		// As in Discord, a member is not offered commands they may not use (default_member_permissions).
		commands: double.commands.filter(
			(c) => (c.type ?? 1) === 1 && double.user(me.name).canSeeCommand(c, input.channel),
		),
		messages: views.map((v) => messageDto(v, byId, input.voted)),
		modal: input.modal,
		locale: input.locale,
		notices: input.notices,
		voice,
	};
}
