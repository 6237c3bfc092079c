import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { type Sandbox, startSandbox } from '../../sandbox/sandbox.ts';

/**
 * What every sandbox browser test starts with: `npm run sandbox`'s program in its own process on a free port (with a
 * fast timeline and no cooldown), and Debian's Chromium with a fresh profile, closed again after. A test that must
 * also read what reached the simulated provider starts the same sandbox in its own process instead
 * (`openSandboxHere`).
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ROOT = join(import.meta.dirname, '..', '..');
export const ARTIFACTS = join(ROOT, 'test-artifacts');

export interface SandboxPage {
	/** The playground page's address, as the sandbox printed it. */
	url: string;
	/** The page, open as alice and live. */
	page: Page;
	close(): Promise<void>;
}

export interface SandboxOptions {
	/** Milliseconds per step of a simulated song (`--step-ms`). */
	stepMs: number;
	/** The simulated provider's family; the sandbox's default (family B) when unset. */
	family?: 'newapi' | 'sunoapi';
	viewport: { width: number; height: number };
}

export async function openSandbox(options: SandboxOptions): Promise<SandboxPage> {
	const args = ['--import', './bin/check-node.js', 'sandbox/main.ts', '--port', '0', '--step-ms', `${options.stepMs}`];
	if (options.family) args.push('--family', options.family);
	requireChromium();
	const sandbox = spawn(process.execPath, args, {
		cwd: ROOT,
		env: { ...process.env, COOLDOWN_SEC: '0' },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	return withChromium(
		options,
		() => printedUrl(sandbox),
		() => stop(sandbox),
	);
}

/**
 * The sandbox `npm run sandbox` starts (sandbox/sandbox.ts, the same wiring), in this process, so the test can read
 * the requests its simulated provider received, as an operator reads their provider's dashboard.
 */
export async function openSandboxHere(options: SandboxOptions): Promise<SandboxPage & { sandbox: Sandbox }> {
	requireChromium();
	const sandbox = await startSandbox({
		stepMs: options.stepMs,
		...(options.family ? { family: options.family } : {}),
		env: { COOLDOWN_SEC: '0' },
	});
	const rig = await withChromium(
		options,
		async () => sandbox.url,
		() => sandbox.close(),
	);
	return { ...rig, sandbox };
}

function requireChromium(): void {
	if (!existsSync(CHROMIUM))
		throw new Error(`Chromium is not installed at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`);
}

/**
 * Chromium with a fresh profile on the sandbox's page, as alice; closing it closes the sandbox too (also when it
 * fails).
 */
async function withChromium(
	options: SandboxOptions,
	started: () => Promise<string>,
	stopSandbox: () => Promise<void>,
): Promise<SandboxPage> {
	const profile = mkdtempSync(join(tmpdir(), 'sandbox-chromium-'));
	let context: BrowserContext | undefined;
	const close = async () => {
		await context?.close();
		await stopSandbox();
		rmSync(profile, { recursive: true, force: true });
	};
	try {
		const url = await started();
		context = await chromium.launchPersistentContext(profile, {
			executablePath: CHROMIUM,
			headless: true,
			viewport: options.viewport,
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
			],
		});
		const page = context.pages()[0] ?? (await context.newPage());
		await page.goto(`${url}/?user=alice`);
		await page.locator('#connection', { hasText: 'live' }).waitFor();
		return { url, page, close };
	} catch (error) {
		await close();
		throw error;
	}
}

/** The URL the sandbox prints once it listens; its output so far when it exits or prints none in 30 s. */
function printedUrl(child: ChildProcess): Promise<string> {
	let output = '';
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`the sandbox printed no URL in 30 s:\n${output}`)), 30_000);
		const read = (chunk: Buffer) => {
			output += chunk.toString();
			const url = /http:\/\/127\.0\.0\.1:\d+/.exec(output)?.[0];
			if (url) {
				clearTimeout(timer);
				resolve(url);
			}
		};
		child.stdout?.on('data', read);
		child.stderr?.on('data', read);
		child.on('exit', (code) => reject(new Error(`the sandbox exited with ${code}:\n${output}`)));
	});
}

/** Ctrl+C, as a person stops `npm run sandbox`, and wait for it to exit. */
async function stop(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise((resolve) => child.once('exit', resolve));
	child.kill('SIGINT');
	await exited;
}

/** Switches the page to another sandbox user, as the user menu does, once the page is live again as them. */
export async function switchUser(page: Page, name: string): Promise<void> {
	await page.locator('#user-switcher').selectOption(name);
	await page.locator('#connection', { hasText: 'live' }).waitFor();
	await expect.poll(() => page.locator('#user-switcher').inputValue()).toBe(name);
}

/** Picks /song in the message box with the describe mode and runs it, as a person does; the form opens. */
export async function openDescribeForm(page: Page): Promise<void> {
	await page.locator('#composer-input').fill('/');
	await page.locator('#command-menu li[data-command="song"]').click();
	await page.locator('[data-option="mode"]').selectOption('describe');
	await page.locator('#command-run').click();
	await page.locator('#modal [data-field="description"]').waitFor();
}
