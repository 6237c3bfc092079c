import { describe, expect, it } from 'vitest';
import { CreditWatch } from '../../src/core/credits.ts';
import { createLogger } from '../../src/log.ts';
import { createMemoryStore } from '../../src/store/index.ts';

/** A provider whose balance the test sets, and the messages the watch posts. */
function setup() {
	let balance = 1000;
	const posts: { channelId: string; content: string }[] = [];
	const watch = new CreditWatch({
		provider: { capabilities: { credits: true } as never, credits: async () => balance },
		store: createMemoryStore(),
		post: async (channelId, content) => {
			posts.push({ channelId, content });
		},
		log: createLogger({ level: 'silent', secrets: [], pretty: false }),
	});
	return { watch, posts, setBalance: (n: number) => (balance = n) };
}

describe('CreditWatch', () => {
	it('GIVEN a warning level THEN one warning per fall below it, again only after the balance recovered', async () => {
		const { watch, posts, setBalance } = setup();
		await watch.configure('g1', { channelId: 'c1', threshold: 100 });
		await watch.check();
		expect(posts).toEqual([]);
		setBalance(90);
		await watch.check();
		await watch.check();
		expect(posts.map((p) => p.channelId)).toEqual(['c1']);
		expect(posts[0]?.content).toContain('**90** credits left (the warning level is 100)');
		setBalance(500);
		await watch.check();
		setBalance(40);
		await watch.check();
		expect(posts).toHaveLength(2);
	});

	it('GIVEN songs refused for credits THEN the admins are alerted once, again after credits came back', async () => {
		const { watch, posts, setBalance } = setup();
		await watch.configure('g1', { channelId: 'c1', threshold: 0 });
		setBalance(0);
		await watch.refused('g1');
		await watch.refused('g1');
		expect(posts.filter((p) => p.content.includes('Songs are being refused'))).toHaveLength(1);
		setBalance(20);
		await watch.check();
		await watch.refused('g1');
		expect(posts.filter((p) => p.content.includes('Songs are being refused'))).toHaveLength(2);
	});

	it('GIVEN a server without a warning channel, or one that removed it THEN nothing is posted there', async () => {
		const { watch, posts, setBalance } = setup();
		await watch.configure('g1', { channelId: 'c1', threshold: 100 });
		await watch.configure('g1', undefined);
		setBalance(0);
		await watch.check();
		await watch.refused('g1');
		await watch.refused('g2');
		expect(posts).toEqual([]);
		expect(await watch.alertsOf('g1')).toBeUndefined();
	});
});
