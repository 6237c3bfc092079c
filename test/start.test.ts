import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

describe('npm start', () => {
	it('GIVEN no environment THEN prints each missing key with a hint and exits 1 without a stack trace', () => {
		// Run from an empty folder so no .env is picked up, with only PATH and HOME kept.
		const cwd = mkdtempSync(join(tmpdir(), 'songbot-start-'));
		const result = spawnSync(process.execPath, [join(root, 'src/index.ts')], {
			cwd,
			env: { PATH: process.env.PATH, HOME: process.env.HOME },
			encoding: 'utf8',
			timeout: 20_000,
		});
		expect(result.status).toBe(1);
		for (const key of ['DISCORD_TOKEN', 'SUNO_PROVIDER', 'SUNO_BASE_URL', 'SUNO_API_KEY']) {
			expect(result.stderr).toMatch(new RegExp(`^\\s+${key}\\s+missing: .{10,}`, 'm'));
		}
		expect(result.stderr).not.toMatch(/\bat .*\(.*:\d+:\d+\)/);
	});
});
