/**
 * The playground's web server on 127.0.0.1: the page and its libraries, a JSON API that acts through the Discord
 * double's driver, attachments with range requests, the bot's voice as a live Ogg stream, and one server-sent
 * event stream per open page carrying a fresh snapshot after every change.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { ActionError, Actions } from './actions.ts';
import { serveAsset } from './assets.ts';
import { LOCALES } from './page/types.ts';
import { buildSnapshot, findMessage, VoiceMeter, type World } from './snapshot.ts';
import { streamVoice } from './voice-stream.ts';
import { watchWorld } from './watch.ts';

const file = z.object({ name: z.string(), base64: z.string(), contentType: z.string().optional() });
const who = { user: z.string(), channel: z.string() };
const option = z.union([z.string(), z.number(), z.boolean(), file]);
const BODIES = {
	'/api/command': z.object({ ...who, command: z.string(), options: z.record(z.string(), option) }),
	'/api/autocomplete': z.object({
		...who,
		command: z.string(),
		focused: z.string(),
		options: z.record(z.string(), option),
	}),
	'/api/click': z.object({ user: z.string(), message: z.string(), index: z.number().int() }),
	'/api/select': z.object({
		user: z.string(),
		message: z.string(),
		index: z.number().int(),
		values: z.array(z.string()),
	}),
	'/api/modal': z.object({
		user: z.string(),
		id: z.string(),
		values: z.record(z.string(), z.union([z.string(), z.boolean(), z.array(z.string()), z.array(file)])),
	}),
	'/api/modal/dismiss': z.object({ user: z.string(), id: z.string() }),
	'/api/send': z.object({ ...who, content: z.string().min(1).max(2000) }),
	'/api/voice': z.object({ user: z.string(), action: z.enum(['join', 'leave']) }),
	'/api/locale': z.object({ user: z.string(), locale: z.enum(LOCALES) }),
	'/api/vote': z.object({ user: z.string(), message: z.string(), answer: z.number().int().min(1) }),
	'/api/poll/end': z.object({ message: z.string() }),
};
type Bodies = { [K in keyof typeof BODIES]: z.infer<(typeof BODIES)[K]> };

export interface Playground {
	url: string;
	close(): Promise<void>;
}

interface Client {
	res: ServerResponse;
	user: string;
	channel: string;
	last: string;
}

/** Starts the playground server for `world` on 127.0.0.1:`port` (0: any free port). */
export async function startPlayground(world: World, port = 0): Promise<Playground> {
	const clients = new Set<Client>();
	const meter = new VoiceMeter();
	let timer: NodeJS.Timeout | undefined;
	const send = (client: Client, voice = meter.read(world.voice, world.double.guild.id)): void => {
		const snapshot = JSON.stringify(snapshotFor(client.user, client.channel, voice));
		if (snapshot === client.last) return;
		client.last = snapshot;
		client.res.write(`data: ${snapshot}\n\n`);
	};
	const push = () => {
		timer = undefined;
		const voice = meter.read(world.voice, world.double.guild.id);
		for (const client of clients) send(client, voice);
		// "Speaking" ends when frames stop arriving (a pause), which changes nothing else: look again then.
		if (voice.speaking) setTimeout(changed, 600).unref();
	};
	// Changes come in bursts (an edit, then its dispatch, then voice frames 50 times a second): one snapshot each 150 ms.
	const changed = () => {
		timer ??= setTimeout(push, 150);
	};
	const actions = new Actions(world, changed);
	const snapshotFor = (user: string, channel: string, voice = meter.read(world.voice, world.double.guild.id)) =>
		buildSnapshot(world, {
			user,
			channel,
			modal: actions.modalFor(user),
			notices: actions.noticesFor(user),
			locale: actions.localeFor(user),
			voted: (message) => actions.votedFor(user, message),
			voice,
		});
	const stopWatching = watchWorld(world, changed);

	const api: { [K in keyof Bodies]: (body: Bodies[K]) => Promise<unknown> } = {
		'/api/command': (b) => actions.run(b.user, b.channel, b.command, b.options),
		'/api/autocomplete': async (b) => ({
			choices: await actions.autocomplete(b.user, b.channel, b.command, b.focused, b.options),
		}),
		'/api/click': (b) => actions.click(b.user, b.message, b.index),
		'/api/select': (b) => actions.select(b.user, b.message, b.index, b.values),
		'/api/modal': (b) => actions.submitModal(b.user, b.id, b.values),
		'/api/modal/dismiss': async (b) => actions.dismissModal(b.user, b.id),
		'/api/send': (b) => actions.send(b.user, b.channel, b.content),
		'/api/voice': (b) => actions.voice(b.user, b.action),
		'/api/locale': async (b) => actions.setLocale(b.user, b.locale),
		'/api/vote': (b) => actions.vote(b.user, b.message, b.answer),
		'/api/poll/end': async (b) => actions.endPoll(b.message),
	};

	const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const path = url.pathname;
		if (req.method === 'POST' && path in BODIES) {
			const key = path as keyof Bodies;
			const parsed = BODIES[key].safeParse(await readJson(req));
			if (!parsed.success) return json(res, 400, { error: z.prettifyError(parsed.error) });
			const result = await (api[key] as (body: unknown) => Promise<unknown>)(parsed.data);
			changed();
			return json(res, 200, result ?? { ok: true });
		}
		if (req.method !== 'GET') return json(res, 405, { error: 'method not allowed' });
		const known = (name: string | null) => world.double.users.some((u) => u.name === name);
		const asked = url.searchParams.get('user');
		const user = known(asked) ? (asked as string) : (world.users[0] ?? '');
		const askedChannel = url.searchParams.get('channel');
		// A thread (a /jam's) is opened by its name too, like the text channels.
		const thread = world.double.guild.channels.find((c) => c.thread && c.name === askedChannel)?.name;
		const channel = world.textChannels.find((c) => c === askedChannel) ?? thread ?? world.textChannels[0] ?? '';
		if (path === '/api/state') return json(res, 200, snapshotFor(user, channel));
		if (path === '/api/events') {
			res.writeHead(200, {
				'content-type': 'text/event-stream',
				'cache-control': 'no-store',
				connection: 'keep-alive',
			});
			const client: Client = { res, user, channel, last: '' };
			clients.add(client);
			req.on('close', () => clients.delete(client));
			return send(client);
		}
		if (path === '/api/voice/stream.ogg') return streamVoice(world.voice, world.double.guild.id, res);
		const attachment = /^\/api\/attachments\/(\d+)\/(\d+)\//.exec(path);
		if (attachment) return sendAttachment(world, attachment[1] ?? '', attachment[2] ?? '', req, res);
		if (await serveAsset(path, res)) return;
		json(res, 404, { error: 'not found' });
	};

	const server = createServer((req, res) => {
		handle(req, res).catch((error: unknown) => {
			const known = error instanceof ActionError || error instanceof SyntaxError;
			if (!res.headersSent)
				json(res, known ? 400 : 500, { error: error instanceof Error ? error.message : String(error) });
			else res.end();
		});
	});
	server.listen(port, '127.0.0.1');
	await once(server, 'listening');
	const keepAlive = setInterval(() => {
		for (const client of clients) client.res.write(': keep-alive\n\n');
	}, 15_000);
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		async close() {
			stopWatching();
			clearInterval(keepAlive);
			if (timer) clearTimeout(timer);
			server.closeAllConnections();
			server.close();
			await once(server, 'close');
		},
	};
}

/** Files travel in the JSON as base64: room for an upload a little over Discord's 10 MiB, no more. */
const MAX_BODY = 16 * 1024 * 1024;

async function readJson(req: IncomingMessage): Promise<unknown> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req) {
		size += (chunk as Buffer).length;
		if (size > MAX_BODY) throw new ActionError('That is too large for the sandbox (16 MB at most).');
		chunks.push(chunk as Buffer);
	}
	const text = Buffer.concat(chunks).toString('utf8');
	return text ? JSON.parse(text) : {};
}

function json(res: ServerResponse, status: number, body: unknown): void {
	res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
	res.end(JSON.stringify(body));
}

/** An attachment's bytes, with single range requests so audio players know the length and can seek. */
function sendAttachment(world: World, messageId: string, id: string, req: IncomingMessage, res: ServerResponse): void {
	const file = findMessage(world, messageId)?.attachments.find((a) => a.id === id);
	if (!file) return json(res, 404, { error: 'no such attachment' });
	const size = file.bytes.length;
	const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
	const headers = { 'content-type': file.contentType, 'accept-ranges': 'bytes', 'cache-control': 'max-age=3600' };
	if (!range || (range[1] === '' && range[2] === '')) {
		res.writeHead(200, { ...headers, 'content-length': size });
		return void res.end(file.bytes);
	}
	const start = range[1] === '' ? Math.max(0, size - Number(range[2])) : Number(range[1]);
	const end = range[1] === '' || range[2] === '' ? size - 1 : Math.min(size - 1, Number(range[2]));
	if (start > end || start >= size) {
		res.writeHead(416, { 'content-range': `bytes */${size}` });
		return void res.end();
	}
	res.writeHead(206, {
		...headers,
		'content-range': `bytes ${start}-${end}/${size}`,
		'content-length': end - start + 1,
	});
	res.end(file.bytes.subarray(start, end + 1));
}
