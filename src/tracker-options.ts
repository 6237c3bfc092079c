import type { Config } from './config.ts';
import type { TrackerOptions } from './core/tracker-types.ts';

/**
 * Part of the composition root (src/app.ts; the bench assembles the tracker the same way): the configuration
 * keys turned into tracker options, so the core never reads the configuration. Pass the callback URL when
 * PUBLIC_BASE_URL is set.
 */
export function trackerOptionsFrom(config: Config, callbackUrl?: string): TrackerOptions {
	return {
		timing: {
			fastMs: config.POLL_FAST_MS,
			slowMs: config.POLL_SLOW_MS,
			safetyMs: config.SAFETY_POLL_MS,
			callbacks: callbackUrl !== undefined,
		},
		deadlines: { stallMs: config.STALL_TIMEOUT_SEC * 1000, taskTimeoutMs: config.TASK_TIMEOUT_SEC * 1000 },
		...(callbackUrl ? { callbackUrl } : {}),
		retentionMs: config.RETENTION_DAYS * 86_400_000,
	};
}
