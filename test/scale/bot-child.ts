import process from 'node:process';
import { startApp } from '../../src/app.ts';
import { parseConfig, secretsOf } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';

/**
 * One real bot process (src/app.ts, unmodified) connected as one shard of the Discord double: what a child of
 * the ShardingManager runs, with the shard given directly. Prints `ready <http url>` once it serves.
 */
const env = process.env;
const config = parseConfig(env);
const log = createLogger({ level: env.CHILD_LOG ?? 'silent', secrets: secretsOf(config), pretty: false }).child({
	shard: env.SHARD_ID,
});
const app = await startApp(config, log, {
	clientOptions: { shards: [Number(env.SHARD_ID)], shardCount: Number(env.SHARD_TOTAL) },
});
process.stdout.write(`ready ${app.httpUrl ?? ''}\n`);
process.once('SIGTERM', () => {
	void app.stop().finally(() => process.exit(0));
});
