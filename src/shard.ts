import process from 'node:process';
import { secretsOf } from './config.ts';
import { loadConfigOrExit } from './env.ts';
import { createLogger, logProcessFailures, Secrets } from './log.ts';
import { runBot } from './run-bot.ts';
import { takeShardAssignment } from './sharding.ts';

/** The entry of one shard child of the ShardingManager (src/sharding.ts): one whole bot for its shards. */

// Before the configuration is read: the manager's SHARDS (this shard's id) is not our SHARDS setting.
const assignment = takeShardAssignment(process.env);
if (assignment === undefined) {
	process.stderr.write('src/shard.ts is started by the ShardingManager: run `npm start` with SHARDS set instead\n');
	process.exit(1);
}
const config = loadConfigOrExit();
const secrets = new Secrets(secretsOf(config));
const log = createLogger({ level: config.LOG_LEVEL, secrets }).child({ shard: assignment.shards.join(',') });
logProcessFailures(log);

await runBot(config, log, {
	secrets,
	clientOptions: { shards: assignment.shards, shardCount: assignment.shardCount },
	// The manager is gone (its IPC channel closed): stop rather than run unsupervised.
	stopWhen: (stop) => process.once('disconnect', () => stop('manager gone')),
});
