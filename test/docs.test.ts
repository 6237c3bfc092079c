import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HINTS } from '../src/config.ts';

const root = join(import.meta.dirname, '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');

describe('operator documentation', () => {
	const keys = Object.keys(HINTS).sort();

	it('GIVEN the configuration schema THEN .env.example lists every key and no other', () => {
		const listed = [...read('.env.example').matchAll(/^([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]).sort();
		expect(listed).toEqual(keys);
	});

	it('GIVEN the configuration schema THEN the README configuration table has a row per key and no other', () => {
		const readme = read('README.md');
		const section = readme.slice(
			readme.indexOf('## Configuration'),
			readme.indexOf('\n## ', readme.indexOf('## Configuration') + 5),
		);
		const rows = [...section.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \|/gm)].map((m) => m[1]).sort();
		expect(rows).toEqual(keys);
	});

	it('GIVEN the README quick start THEN it shows exactly two commands', () => {
		const readme = read('README.md');
		const quick = readme.slice(
			readme.indexOf('## Quick start'),
			readme.indexOf('\n## ', readme.indexOf('## Quick start') + 5),
		);
		const block = /```sh\n([\s\S]*?)```/.exec(quick)?.[1] ?? '';
		expect(block.trim().split('\n')).toHaveLength(2);
	});
});
