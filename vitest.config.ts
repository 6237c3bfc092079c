import { defineConfig } from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.ts'],
		// End-to-end suites start real servers and child processes; the machine has two cores.
		testTimeout: 30_000,
		hookTimeout: 30_000,
		pool: 'forks',
		maxWorkers: 2,
		reporters: ['default', 'json'],
		outputFile: { json: 'data/test-results.json' },
	},
});
