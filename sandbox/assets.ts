/**
 * The page's files: sandbox/page (TypeScript modules are served as JavaScript, types stripped by the TypeScript
 * compiler on first request) and the browser libraries it uses, straight from node_modules, so nothing comes from
 * a CDN and the playground works offline.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { extname, join, normalize, sep } from 'node:path';
import ts from 'typescript';

const PAGE_DIR = join(import.meta.dirname, 'page');
const require = createRequire(import.meta.url);

/** Packages the page may load, by the name its import map uses. */
const VENDOR = [
	'@skyra/discord-components-core',
	'lit',
	'lit-html',
	'lit-element',
	'@lit/reactive-element',
	'@lit/context',
];

const TYPES: Record<string, string> = {
	'.html': 'text/html; charset=utf-8',
	'.css': 'text/css; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.ts': 'text/javascript; charset=utf-8',
	'.svg': 'image/svg+xml',
	'.map': 'application/json',
};

/** A package's folder; looked up along node_modules because these packages do not export their package.json. */
function packageRoot(name: string): string | undefined {
	const dirs = require.resolve.paths(name) ?? [];
	return dirs.map((dir) => join(dir, name)).find((dir) => existsSync(join(dir, 'package.json')));
}

/** `root` joined with a URL path, or undefined when the path tries to leave `root`. */
function inside(root: string, path: string): string | undefined {
	const full = normalize(join(root, decodeURIComponent(path)));
	return full.startsWith(root + sep) ? full : undefined;
}

const transpiled = new Map<string, { source: string; js: string }>();

async function pageFile(path: string): Promise<{ body: string | Buffer; type: string } | undefined> {
	const full = inside(PAGE_DIR, path);
	const type = full && TYPES[extname(full)];
	if (!full || !type) return undefined;
	const source = await readFile(full).catch(() => undefined);
	if (!source || extname(full) !== '.ts') return source && { body: source, type };
	const text = source.toString('utf8');
	const cached = transpiled.get(full);
	if (cached?.source === text) return { body: cached.js, type };
	const js = ts.transpileModule(text, {
		compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: true },
		fileName: full,
	}).outputText;
	transpiled.set(full, { source: text, js });
	return { body: js, type };
}

async function vendorFile(path: string): Promise<{ body: Buffer; type: string } | undefined> {
	const name = VENDOR.find((v) => path.startsWith(`${v}/`));
	const root = name && packageRoot(name);
	if (!name || !root) return undefined;
	const full = inside(root, path.slice(name.length + 1));
	const type = full && TYPES[extname(full)];
	const body = full && type ? await readFile(full).catch(() => undefined) : undefined;
	return body && type ? { body, type } : undefined;
}

/**
 * Answers `/`, `/page/…` and `/vendor/…`; returns false for any other path. The page is read on every request, so
 * a contributor editing it only has to reload.
 */
export async function serveAsset(pathname: string, res: ServerResponse): Promise<boolean> {
	const file =
		pathname === '/'
			? await pageFile('index.html')
			: pathname.startsWith('/page/')
				? await pageFile(pathname.slice('/page/'.length))
				: pathname.startsWith('/vendor/')
					? await vendorFile(pathname.slice('/vendor/'.length))
					: undefined;
	if (!file) return false;
	res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-cache' });
	res.end(file.body);
	return true;
}
