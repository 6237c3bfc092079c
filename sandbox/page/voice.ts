/**
 * The voice panel: who is in the voice channel (the bot lights up while it sends sound), a button to join or leave
 * as the current user, and, while joined, an <audio> element playing the live stream of what the bot sends there.
 * The page listens as whoever joined from it: switching to another user keeps the sound on while that person is
 * still in the channel, as a second Discord client would not cut the first one off.
 */
import { avatarOf, h, post } from './api.ts';
import type { Snapshot } from './types.ts';

export class VoicePanel {
	readonly #audio = h('audio', { id: 'voice-audio', preload: 'none' });
	readonly #button = document.getElementById('voice-join') as HTMLButtonElement;
	#user: () => string;
	/** Who joined from this page, while they are (or are about to be) in the channel. */
	#listeningAs: string | undefined;
	#listenerIn = false;

	constructor(user: () => string) {
		this.#user = user;
		document.getElementById('voice-panel')?.append(this.#audio);
		this.#button.addEventListener('click', () => void this.#toggle());
	}

	async #toggle(): Promise<void> {
		const join = this.#button.dataset.action !== 'leave';
		// Start listening inside the click: browsers only let a page start sound in answer to a gesture.
		if (join) {
			this.#listeningAs = this.#user();
			this.#listenerIn = false;
			this.#listen();
		} else if (this.#listeningAs === this.#user()) this.#stop();
		await post('/api/voice', { user: this.#user(), action: join ? 'join' : 'leave' }).catch(() => this.#stop());
	}

	#listen(): void {
		this.#audio.src = `/api/voice/stream.ogg?at=${Date.now()}`;
		void this.#audio.play().catch(() => {});
	}

	#stop(): void {
		this.#listeningAs = undefined;
		this.#listenerIn = false;
		this.#audio.pause();
		this.#audio.removeAttribute('src');
		this.#audio.load();
	}

	update(snap: Snapshot): void {
		const { voice } = snap;
		(document.getElementById('voice-channel') as HTMLElement).replaceChildren(
			`🔊 ${voice.channelName}`,
			...(voice.status ? [h('div', { id: 'voice-channel-status' }, [voice.status])] : []),
		);
		(document.getElementById('voice-members') as HTMLElement).replaceChildren(
			...voice.members.map((m) =>
				h('li', { class: m.bot && voice.speaking ? 'speaking' : undefined, 'data-member': m.name }, [
					h('img', { src: avatarOf(m), alt: '' }),
					m.name,
				]),
			),
		);
		// Stop only once the listener has been seen in the channel and is gone (left, or was disconnected).
		const inChannel = voice.members.some((m) => m.name === this.#listeningAs);
		if (this.#listenerIn && !inChannel) this.#stop();
		else this.#listenerIn = inChannel;
		this.#button.textContent = voice.joined ? 'Leave voice' : 'Join voice';
		this.#button.dataset.action = voice.joined ? 'leave' : 'join';
		this.#button.className = voice.joined ? 'danger' : '';
		const status = document.getElementById('voice-status') as HTMLElement;
		status.dataset.audioSec = String(voice.audioSec);
		status.dataset.state = this.#listeningAs ? (voice.speaking ? 'playing' : 'listening') : 'off';
		const as = this.#listeningAs && this.#listeningAs !== snap.me.name ? ` (as ${this.#listeningAs})` : '';
		status.textContent = this.#listeningAs
			? voice.speaking
				? `🎶 ${snap.bot.name} is playing · ${voice.audioSec.toFixed(0)} s of sound so far${as}`
				: `Listening${as}. Press Play on a take to hear it here.`
			: 'Join to hear what the bot plays.';
	}
}
