import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Every string the bot shows people comes from the catalog (src/i18n): this scan fails when a source file gives
 * a literal with words to a place Discord shows (message content, button labels, placeholders, titles,
 * descriptions, embed fields and footers, poll texts, modal titles) or to a UserError. The CLI (src/cli, an
 * operator's terminal) and the catalog itself are not scanned.
 */

const ROOT = join(import.meta.dirname, '..', '..');

/**
 * Files that still show literals, each with the reason. Keep it short: move a file's strings into the catalog
 * and take it off the list (the test fails when a listed file has nothing left to report).
 */
const ALLOWED: Record<string, string> = {
	// The provider's own refusals: the kind's text is translated (`provider.<kind>`), the adapter's more specific
	// words quote the provider and stay as written.
	'src/providers/common.ts': 'provider-specific refusal texts',
	'src/providers/errors.ts': 'provider-specific refusal texts',
	'src/providers/models.ts': 'provider-specific refusal texts',
	'src/providers/index.ts': 'operator configuration errors (start-up and the CLI)',
	// A charge's English `label` (kept for logs and older callers): refusals name its cost keys from the catalog.
	'src/core/quota.ts': 'the English label of a charge, not shown when it has cost keys',
	'src/providers/v1music.ts': 'provider-specific refusal texts',
	'src/providers/sunoapi-tools.ts': 'provider-specific refusal texts',
	'src/providers/sunoapi-tools-wire.ts': 'provider-specific refusal texts',
};

/** `key: 'text'` / `key: \`text\`` where Discord shows the value. */
const SHOWN_KEYS = ['content', 'label', 'placeholder', 'title', 'description', 'userMessage'];
const PATTERNS: RegExp[] = [
	new RegExp(`\\b(?:${SHOWN_KEYS.join('|')}):\\s*(['"\`])`, 'g'),
	// Footers and poll questions ({ text: … }), poll answers (text: truncate(…)).
	/\b(?:footer|question):\s*\{\s*text:\s*(['"`])/g,
	/\btext:\s*truncate\(\s*(['"`])/g,
	// Embed fields: { name: 'Cooldown', value: … }.
	/\bname:\s*(['"`])(?=[^'"`]*['"`],\s*value:)/g,
	// Builders and replies given a literal directly.
	/\.(?:setLabel|setPlaceholder|setTitle|setDescription|setContent|reply|editReply|followUp|update|send)\(\s*(['"`])/g,
	// answer(interaction, 'text') and new UserError(id, 'text').
	/\banswer\([^,()]+,\s*(['"`])/g,
	/new UserError\(\s*[^,]+,\s*(['"`])/g,
	// modal(id, 'Title', …).
	/\bmodal\([^,()]+(?:\([^)]*\))?,\s*(['"`])/g,
];

function sourceFiles(dir: string): string[] {
	return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
		const path = join(dir, entry.name);
		if (entry.isDirectory())
			return path === join('src', 'i18n') || path === join('src', 'cli') ? [] : sourceFiles(path);
		return entry.name.endsWith('.ts') ? [path] : [];
	});
}

/** The literal starting at `start` (after its opening quote), with `${…}` parts removed. */
function literalAt(source: string, start: number, quote: string): string {
	let out = '';
	let depth = 0;
	for (let i = start; i < source.length; i++) {
		const ch = source[i] as string;
		if (ch === '\\') {
			i++;
			continue;
		}
		if (quote === '`' && depth === 0 && ch === '$' && source[i + 1] === '{') {
			depth = 1;
			i++;
			continue;
		}
		if (depth > 0) {
			if (ch === '{') depth++;
			else if (ch === '}') depth--;
			continue;
		}
		if (ch === quote) return out;
		out += ch;
	}
	return out;
}

/**
 * Strings gathered in a `TEXT = { … }` table (the other branches' way of keeping new strings in one place until
 * the catalog existed): each literal with words and a space in it counts.
 */
function tableLiterals(source: string): string[] {
	const found: string[] = [];
	for (const match of source.matchAll(/\b[A-Z_]*TEXT\s*=\s*\{/g)) {
		let depth = 0;
		let end = match.index;
		for (; end < source.length; end++) {
			if (source[end] === '{') depth++;
			else if (source[end] === '}' && --depth === 0) break;
		}
		const body = source.slice(match.index, end);
		for (const literal of body.matchAll(/(['"`])((?:\\.|(?!\1)[^\\])*)\1/g)) {
			const text = (literal[2] ?? '').replace(/\$\{[^}]*\}/g, '');
			if (!/\p{L}{2}/u.test(text) || !/\s/.test(text)) continue;
			const line = source.slice(0, match.index + (literal.index ?? 0)).split('\n').length;
			found.push(`${line}: ${text.slice(0, 60)}`);
		}
	}
	return found;
}

/** Literals with words (two letters in a row) shown to people, as `line: text`. */
export function shownLiterals(source: string): string[] {
	const found: string[] = tableLiterals(source);
	for (const pattern of PATTERNS) {
		for (const match of source.matchAll(pattern)) {
			const quote = match[1] as string;
			const start = (match.index ?? 0) + match[0].length;
			const text = literalAt(source, start, quote);
			if (!/\p{L}{2}/u.test(text)) continue;
			const line = source.slice(0, start).split('\n').length;
			found.push(`${line}: ${text.slice(0, 60)}`);
		}
	}
	return found;
}

const FILES = [...sourceFiles('src'), ...sourceFiles('commands')].map((f) => relative(ROOT, join(ROOT, f)));

describe('strings shown to people come from the catalog', () => {
	it('GIVEN the scan THEN it finds a literal in each place it looks', () => {
		const samples = [
			"await interaction.reply({ content: 'Saved.' });",
			'embed.setTitle(`Songs of ${name}`);',
			"{ type: 2, label: 'Play all' }",
			"fields: [{ name: 'Cooldown', value: text }]",
			"throw new UserError('quota.x', 'Slow down.');",
			"await answer(interaction, 'Nope.');",
			"footer: { text: 'Only listeners can use these buttons.' },",
			"const TEXT = { stopped: 'Playback was stopped.', key: 'cmd.stop' } as const;",
			"modal(encodeCustomId('lyrics', 'theme'), 'Write lyrics', []);",
		];
		for (const sample of samples) expect(shownLiterals(sample), sample).toHaveLength(1);
		expect(shownLiterals("{ content: t(locale, 'stop.done'), label: '', emoji: { name: '▶️' } }")).toEqual([]);
	});

	it.each(FILES.filter((f) => !(f in ALLOWED)))('GIVEN %s THEN it shows no literal', (file) => {
		expect(shownLiterals(readFileSync(join(ROOT, file), 'utf8'))).toEqual([]);
	});

	it.each(Object.keys(ALLOWED))('GIVEN %s on the list THEN it still has literals to move', (file) => {
		expect(shownLiterals(readFileSync(join(ROOT, file), 'utf8')).length).toBeGreaterThan(0);
	});
});
