/** Small helpers of the page: talking to the playground server, toasts, avatars, building elements. */
import type { Person } from './types.ts';

/** POSTs JSON; resolves with the answer, or shows the server's error and rejects. */
export async function post<T = unknown>(path: string, body: unknown): Promise<T> {
	const response = await fetch(path, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	const answer = (await response.json().catch(() => ({}))) as { error?: string };
	if (!response.ok) {
		const message = answer.error ?? `${response.status} ${response.statusText}`;
		toast(message, 'error');
		throw new Error(message);
	}
	return answer as T;
}

export function toast(text: string, kind: 'info' | 'error' = 'info'): void {
	const box = document.getElementById('toasts');
	if (!box) return;
	const item = h('div', { class: `sb-toast ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, [text]);
	box.append(item);
	setTimeout(() => item.remove(), 7_000);
}

const COLOURS = ['#5865f2', '#eb459e', '#3ba55c', '#faa61a', '#ed4245', '#9b59b6', '#1abc9c'];

/** A colour per person, stable across reloads. */
export function colourOf(person: Person): string {
	if (person.bot) return '#5865f2';
	let sum = 0;
	for (const c of person.name) sum += c.charCodeAt(0);
	return COLOURS[sum % COLOURS.length] ?? '#5865f2';
}

/** An avatar drawn on the page (a data URL): no image is fetched from anywhere. */
export function avatarOf(person: Person): string {
	const letter = person.bot ? '♪' : (person.name[0] ?? '?').toUpperCase();
	const svg =
		`<svg xmlns="http://www.w3.org/2000/svg" width="80" height="80"><circle cx="40" cy="40" r="40" fill="${colourOf(person)}"/>` +
		`<text x="40" y="53" font-size="38" text-anchor="middle" fill="#fff" font-family="sans-serif">${letter}</text></svg>`;
	return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

type Child = Node | string | null | undefined | false;

/** `document.createElement` with attributes (`true` for a bare boolean attribute) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
	tag: K,
	attributes?: Record<string, string | number | boolean | undefined>,
	children?: Child[],
): HTMLElementTagNameMap[K];
export function h(
	tag: string,
	attributes?: Record<string, string | number | boolean | undefined>,
	children?: Child[],
): HTMLElement;
export function h(
	tag: string,
	attributes: Record<string, string | number | boolean | undefined> = {},
	children: Child[] = [],
): HTMLElement {
	const element = document.createElement(tag);
	for (const [name, value] of Object.entries(attributes)) {
		if (value === undefined || value === false) continue;
		element.setAttribute(name, value === true ? '' : String(value));
	}
	for (const child of children) if (child !== null && child !== undefined && child !== false) element.append(child);
	return element;
}

/** Reads a picked file for the API (files travel as base64 in JSON). */
export async function fileValue(file: File): Promise<{ name: string; base64: string; contentType: string }> {
	const bytes = new Uint8Array(await file.arrayBuffer());
	let binary = '';
	for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
	return { name: file.name, base64: btoa(binary), contentType: file.type || 'application/octet-stream' };
}
