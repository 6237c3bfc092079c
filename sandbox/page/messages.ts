/**
 * The channel rendered with @skyra/discord-components-core: one <discord-message> per message with its command
 * header, text, attachments (audio players for takes), embeds and buttons. Updates are keyed by message id, and a
 * message is rebuilt only when it changed, so an audio player keeps playing while the tracker above it updates.
 */
import { avatarOf, colourOf, h } from './api.ts';
import { components } from './components.ts';
import { markdown, type Names } from './markdown.ts';
import { pollElement, pollResultElement } from './poll.ts';
import type { AttachmentDto, Json, MessageDto, Snapshot } from './types.ts';

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const list = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : []);

function when(at: number): string {
	const date = new Date(at);
	const time = date.toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' });
	return date.toDateString() === new Date().toDateString() ? `Today at ${time}` : date.toLocaleString();
}

/** Markdown rendered to plain text, for places that only take text (embed and field titles). */
function plain(text: string | undefined, names: Names): string | undefined {
	if (text === undefined) return undefined;
	return h('span', {}, markdown(text, names)).textContent ?? text;
}

function size(bytes: number): { bytes: string; unit: string } {
	if (bytes >= 1024 * 1024) return { bytes: (bytes / 1024 / 1024).toFixed(2), unit: 'MB' };
	return { bytes: (bytes / 1024).toFixed(1), unit: 'KB' };
}

/**
 * The audio component drops every character of a file name but letters, digits, `_` and `-` ("take_1mp3");
 * Discord shows the name as stored (spaces as underscores), dots and all. Lit keeps the text node it rendered
 * and leaves it alone while the name does not change, so correcting it once after each render holds.
 */
function keepFileName(element: HTMLElement, name: string): HTMLElement {
	const shown = name.replaceAll(/\s/g, '_');
	void (element as HTMLElement & { updateComplete?: Promise<unknown> }).updateComplete?.then(() => {
		const link = element.shadowRoot?.querySelector('discord-link');
		for (const node of link?.childNodes ?? []) {
			if (node.nodeType === Node.TEXT_NODE && node.textContent?.trim()) node.textContent = shown;
		}
	});
	return element;
}

function attachment(file: AttachmentDto): HTMLElement {
	const { bytes, unit } = size(file.size);
	if (file.contentType.startsWith('audio/'))
		return keepFileName(
			h('discord-audio-attachment', {
				href: file.url,
				name: file.filename,
				bytes,
				'bytes-unit': unit,
				'data-file': file.filename,
			}),
			file.filename,
		);
	if (file.contentType.startsWith('image/') && /\.(png|jpe?g|gif|webp)$/i.test(file.url))
		return h('discord-image-attachment', { url: file.url, alt: file.filename, width: 300, height: 300 });
	return h('discord-file-attachment', {
		name: file.filename,
		href: file.url,
		bytes,
		'bytes-unit': unit,
		type: file.contentType,
	});
}

function embed(data: Json, names: Names): HTMLElement {
	const colour = typeof data.color === 'number' ? `#${data.color.toString(16).padStart(6, '0')}` : undefined;
	const thumbnail = str((data.thumbnail as Json | undefined)?.url);
	const image = str((data.image as Json | undefined)?.url);
	const author = data.author as Json | undefined;
	const fields = list(data.fields);
	let inlineIndex = 0;
	const footer = str((data.footer as Json | undefined)?.text);
	return h(
		'discord-embed',
		{
			slot: 'embeds',
			color: colour,
			'embed-title': plain(str(data.title), names),
			url: str(data.url),
			thumbnail,
			image,
			'author-name': str(author?.name),
		},
		[
			str(data.description) &&
				h('discord-embed-description', { slot: 'description' }, markdown(str(data.description) ?? '', names)),
			fields.length > 0 &&
				h(
					'discord-embed-fields',
					{ slot: 'fields' },
					fields.map((f) => {
						inlineIndex = f.inline === true ? (inlineIndex % 3) + 1 : 0;
						return h(
							'discord-embed-field',
							{
								'field-title': plain(str(f.name), names) ?? '',
								inline: f.inline === true,
								'inline-index': inlineIndex || undefined,
							},
							markdown(str(f.value) ?? '', names),
						);
					}),
				),
			footer && h('discord-embed-footer', { slot: 'footer' }, [footer]),
		],
	);
}

function messageElement(
	m: MessageDto,
	snap: Snapshot,
	names: Names,
	user: () => string,
	hide: (id: string) => void,
): HTMLElement {
	const el = h(
		'discord-message',
		{
			author: m.author.name,
			avatar: avatarOf(m.author),
			bot: m.author.bot,
			'role-color': colourOf(m.author),
			timestamp: when(m.at),
			// Discord shows "(edited)" after the text; a message made of embeds only shows none.
			edited: m.edited && m.content !== '',
			ephemeral: m.ephemeral,
			'data-id': m.id,
		},
		[
			m.interaction?.command &&
				h('discord-command', {
					slot: 'reply',
					author: m.interaction.user.name,
					avatar: avatarOf(m.interaction.user),
					'role-color': colourOf(m.interaction.user),
					command: `/${m.interaction.command}`,
				}),
			...(m.loading
				? [h('span', { class: 'sb-thinking' }, [`${snap.bot.name} is thinking…`])]
				: markdown(m.content, names)),
			m.attachments.length > 0 && h('discord-attachments', { slot: 'attachments' }, m.attachments.map(attachment)),
			// A poll's result is one system line in Discord, not its raw `poll_result` embed.
			...(m.pollResult ? [pollResultElement(m.pollResult)] : m.embeds.map((e) => embed(e, names))),
			m.poll && pollElement(m, m.poll, user),
			components(m, user, names),
		],
	);
	if (m.ephemeral) Object.assign(el, { dismissMessageClicked: () => hide(m.id) });
	return el;
}

/** Brings `root` in line with the snapshot, touching only the messages that changed. */
export function renderMessages(
	root: HTMLElement,
	snap: Snapshot,
	view: { hidden: Set<string>; hide: (id: string) => void; user: () => string },
): void {
	const { hidden, hide, user } = view;
	const names: Names = {
		users: new Map([snap.bot, ...snap.users].map((p) => [p.id, p.name])),
		channels: new Map([
			...snap.channels.map((c): [string, { name: string; voice: boolean }] => [c.id, { name: c.name, voice: false }]),
			[snap.voice.channelId, { name: snap.voice.channelName, voice: true }],
		]),
	};
	const wanted = snap.messages.filter((m) => !hidden.has(m.id));
	const signatures = new Map(wanted.map((m) => [m.id, JSON.stringify(m)]));
	for (const child of [...root.children]) {
		const id = (child as HTMLElement).dataset.id;
		if (!id || !signatures.has(id)) child.remove();
	}
	let cursor = root.firstElementChild;
	for (const m of wanted) {
		const signature = signatures.get(m.id) ?? '';
		if (cursor instanceof HTMLElement && cursor.dataset.id === m.id) {
			if (cursor.dataset.sig !== signature) {
				const fresh = messageElement(m, snap, names, user, hide);
				fresh.dataset.sig = signature;
				cursor.replaceWith(fresh);
				cursor = fresh;
			}
			cursor = cursor.nextElementSibling;
			continue;
		}
		const fresh = messageElement(m, snap, names, user, hide);
		fresh.dataset.sig = signature;
		root.insertBefore(fresh, cursor);
	}
	if (wanted.length === 0 && !root.querySelector('.sb-empty'))
		root.append(h('div', { class: 'sb-empty' }, ['No messages yet. Type / in the box below and pick /song to start.']));
}
