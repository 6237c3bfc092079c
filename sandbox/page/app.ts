/**
 * The playground page: follows the sandbox over server-sent events (one snapshot per change) and renders the
 * channel, the composer, the current user's modal and notices, and the voice panel. The user and channel are kept
 * in the address (`?user=bob&channel=songs`) so two tabs can be two people.
 */
import '@skyra/discord-components-core';
import { h, post, toast } from './api.ts';
import { Composer } from './composer.ts';
import { relativeTime } from './markdown.ts';
import { renderMessages } from './messages.ts';
import { showModal } from './modal.ts';
import { LOCALES, type Snapshot } from './types.ts';
import { VoicePanel } from './voice.ts';

const params = new URLSearchParams(location.search);
const state = {
	user: params.get('user') ?? localStorage.getItem('sandbox.user') ?? '',
	channel: params.get('channel') ?? 'general',
	snapshot: null as Snapshot | null,
	hidden: new Set<string>(),
	shownNotices: new Set<string>(),
	/** The newest message this view has shown, to notice new ones that arrive out of sight. */
	newest: undefined as string | undefined,
};

const messages = document.getElementById('messages') as HTMLElement;
const scroller = document.getElementById('scroller') as HTMLElement;
const dialog = document.getElementById('modal') as HTMLDialogElement;
const switcher = document.getElementById('user-switcher') as HTMLSelectElement;
const languages = document.getElementById('locale-switcher') as HTMLSelectElement;
const connection = document.getElementById('connection') as HTMLElement;
const jumpBar = document.getElementById('jump-bar') as HTMLButtonElement;
const user = () => state.snapshot?.me.name ?? state.user;
const composer = new Composer({ user, channel: () => state.channel, snapshot: () => state.snapshot });
const voice = new VoicePanel(user);

function render(snap: Snapshot): void {
	state.snapshot = snap;
	state.user = snap.me.name;
	document.getElementById('guild-name')?.replaceChildren(snap.guild);
	document.getElementById('channel-name')?.replaceChildren(`# ${snap.channel.name}`);
	(document.getElementById('channels') as HTMLElement).replaceChildren(
		...snap.channels.map((c) => {
			const item = h('li', { class: c.name === state.channel ? 'active' : undefined, 'data-channel': c.name }, [
				`# ${c.name}`,
			]);
			item.addEventListener('click', () => go({ channel: c.name }));
			return item;
		}),
	);
	if (switcher.options.length !== snap.users.length)
		switcher.replaceChildren(...snap.users.map((u) => h('option', { value: u.name }, [u.name])));
	switcher.value = snap.me.name;
	languages.value = snap.locale;
	const atBottom = isAtBottom();
	renderMessages(messages, snap, { hidden: state.hidden, hide, user });
	noticeNewest(snap, atBottom);
	// The message components lay themselves out a frame later: scroll again once they have.
	const stick = () => {
		if (atBottom) scroller.scrollTop = scroller.scrollHeight;
	};
	stick();
	requestAnimationFrame(() => requestAnimationFrame(stick));
	composer.update(snap);
	voice.update(snap);
	showModal(dialog, snap.modal, snap, user);
	for (const notice of snap.notices) {
		if (state.shownNotices.has(notice.id)) continue;
		state.shownNotices.add(notice.id);
		toast(notice.text, 'error');
	}
}

function isAtBottom(): boolean {
	return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
}

/**
 * A message that arrives while the reader is scrolled up shows Discord's bar at the bottom of the channel (for a
 * reply only they can see too, which is easy to miss up there); clicking it jumps to the message.
 */
function noticeNewest(snap: Snapshot, atBottom: boolean): void {
	const newest = snap.messages.at(-1);
	const arrived = newest && state.newest !== undefined && newest.id !== state.newest;
	state.newest = newest?.id;
	if (!arrived || atBottom) return;
	jumpBar.textContent = newest.ephemeral
		? 'New reply only you can see · Jump to it ↓'
		: `New message from ${newest.author.name} · Jump to present ↓`;
	jumpBar.dataset.message = newest.id;
	jumpBar.hidden = false;
}

jumpBar.addEventListener('click', () => {
	scroller.scrollTo({ top: scroller.scrollHeight });
	jumpBar.hidden = true;
});
scroller.addEventListener('scroll', () => {
	if (isAtBottom()) jumpBar.hidden = true;
});

// `<t:…:R>` reads "in 5 minutes": keep it true while the page stays open.
setInterval(() => {
	for (const time of document.querySelectorAll<HTMLTimeElement>('time.sb-time[data-style="R"]'))
		time.textContent = relativeTime(Date.parse(time.dateTime));
}, 10_000);

function hide(id: string): void {
	state.hidden.add(id);
	if (state.snapshot) render(state.snapshot);
}

let events: EventSource | undefined;

function connect(): void {
	events?.close();
	const query = new URLSearchParams({ channel: state.channel, ...(state.user ? { user: state.user } : {}) });
	events = new EventSource(`/api/events?${query}`);
	events.onopen = () => {
		connection.textContent = 'live';
		connection.className = '';
	};
	events.onerror = () => {
		connection.textContent = 'reconnecting…';
		connection.className = 'offline';
	};
	events.onmessage = (event: MessageEvent<string>) => render(JSON.parse(event.data) as Snapshot);
}

/** Switches user or channel: a fresh view, as if another Discord client was opened. */
function go(change: { user?: string; channel?: string }): void {
	Object.assign(state, change);
	if (change.user) localStorage.setItem('sandbox.user', change.user);
	const url = new URL(location.href);
	url.searchParams.set('user', state.user);
	url.searchParams.set('channel', state.channel);
	history.replaceState(null, '', url);
	messages.replaceChildren();
	state.newest = undefined;
	jumpBar.hidden = true;
	composer.close();
	connect();
}

switcher.addEventListener('change', () => go({ user: switcher.value }));
// Each user's Discord client has its language: the bot answers them in it and Discord shows its commands in it.
const LANGUAGE_NAMES: Record<(typeof LOCALES)[number], string> = {
	'en-US': 'English',
	'zh-CN': '中文',
	ja: '日本語',
	'es-ES': 'Español',
	'pt-BR': 'Português (Brasil)',
};
languages.replaceChildren(...LOCALES.map((l) => h('option', { value: l }, [LANGUAGE_NAMES[l]])));
languages.addEventListener('change', () => {
	void post('/api/locale', { user: user(), locale: languages.value }).catch(() => {});
});
connect();
