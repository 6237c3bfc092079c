import process from 'node:process';
import { parseArgs } from 'node:util';
import { type FakeFamily, type FakeMode, type Outcome, startFakeProvider } from './index.ts';

/**
 * A fake provider as a standalone process for the offline sandbox: tasks advance on the wall clock.
 *
 *   node test/doubles/providers/serve.ts --family sunoapi [--mode kie] [--port 8081] [--step-ms 4000]
 *        [--api-key KEY] [--outcome success] [--prefix /v1]
 *
 * Prints one JSON line `{family, mode, baseUrl, apiKey}` on stdout once listening; stops on SIGINT/SIGTERM.
 */
const { values } = parseArgs({
	options: {
		family: { type: 'string', default: 'sunoapi' },
		mode: { type: 'string' },
		port: { type: 'string', default: '0' },
		host: { type: 'string', default: '127.0.0.1' },
		'step-ms': { type: 'string', default: '4000' },
		'api-key': { type: 'string' },
		outcome: { type: 'string', default: 'success' },
		prefix: { type: 'string' },
	},
});

const fake = await startFakeProvider({
	family: values.family as FakeFamily,
	...(values.mode ? { mode: values.mode as FakeMode } : {}),
	...(values['api-key'] ? { apiKey: values['api-key'] } : {}),
	...(values.prefix ? { pathPrefix: values.prefix } : {}),
	outcome: values.outcome as Outcome,
	timeline: { type: 'clock', stepMs: Number(values['step-ms']) },
	host: values.host,
	port: Number(values.port),
});
process.stdout.write(
	`${JSON.stringify({ family: fake.family, mode: fake.mode, baseUrl: fake.baseUrl, apiKey: fake.apiKey })}\n`,
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	process.once(signal, () => {
		void fake.close().finally(() => process.exit(0));
	});
}
