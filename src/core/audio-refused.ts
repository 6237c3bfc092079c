/**
 * Thrown by the audio cache (and the voice stream path) when a provider URL must never be fetched: it leads to
 * an address inside the network, or what it serves is not audio. Trying again cannot help, so a take is
 * posted without it at once. `reason` is safe to show to people; it never contains the URL.
 */
export class AudioRefusedError extends Error {
	readonly problem: 'blocked' | 'not_audio';
	readonly reason: string;
	constructor(problem: 'blocked' | 'not_audio', message: string) {
		super(message);
		this.name = 'AudioRefusedError';
		this.problem = problem;
		this.reason =
			problem === 'blocked'
				? 'The provider’s audio address points inside a private network, so the bot did not fetch it.'
				: 'What the provider sent for this take is not audio, so the bot did not post it.';
	}
}
