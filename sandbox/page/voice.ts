/**
 * The voice panel: who is in the voice channel (the bot lights up while it sends sound), a button to join or leave
 * as the current user, and, while joined, an <audio> element playing the live stream of what the bot sends there.
 */
import { avatarOf, h, post } from './api.ts';
import type { Snapshot } from './types.ts';

export class VoicePanel {
	readonly #audio = h('audio', { id: 'voice-audio', preload: 'none' });
	readonly #button = document.getElementById('voice-join') as HTMLButtonElement;
	#user: () => string;
	#joined = false;

	constructor(user: () => string) {
		this.#user = user;
		document.getElementById('voice-panel')?.append(this.#audio);
		this.#button.addEventListener('click', () => void this.#toggle());
	}

	async #toggle(): Promise<void> {
		const join = !this.#joined;
		// Start listening inside the click: browsers only let a page start sound in answer to a gesture.
		if (join) this.#listen();
		else this.#stop();
		await post('/api/voice', { user: this.#user(), action: join ? 'join' : 'leave' }).catch(() => this.#stop());
	}

	#listen(): void {
		this.#audio.src = `/api/voice/stream.ogg?at=${Date.now()}`;
		void this.#audio.play().catch(() => {});
	}

	#stop(): void {
		this.#audio.pause();
		this.#audio.removeAttribute('src');
		this.#audio.load();
	}

	update(snap: Snapshot): void {
		const { voice } = snap;
		(document.getElementById('voice-channel') as HTMLElement).textContent = `🔊 ${voice.channelName}`;
		(document.getElementById('voice-members') as HTMLElement).replaceChildren(
			...voice.members.map((m) =>
				h('li', { class: m.bot && voice.speaking ? 'speaking' : undefined, 'data-member': m.name }, [
					h('img', { src: avatarOf(m), alt: '' }),
					m.name,
				]),
			),
		);
		if (this.#joined && !voice.joined) this.#stop();
		this.#joined = voice.joined;
		this.#button.textContent = voice.joined ? 'Leave voice' : 'Join voice';
		this.#button.className = voice.joined ? 'danger' : '';
		const status = document.getElementById('voice-status') as HTMLElement;
		status.dataset.audioSec = String(voice.audioSec);
		status.textContent = voice.joined
			? voice.speaking
				? `🎶 ${snap.bot.name} is playing · ${voice.audioSec.toFixed(0)} s of sound so far`
				: `Listening. Press Play on a take to hear it here.`
			: 'Join to hear what the bot plays.';
	}
}
