import { type ChildProcess, spawn } from 'node:child_process';
import { createConnection, createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** A throwaway redis-server on a free 127.0.0.1 port, without persistence. */
export interface RedisServer {
	url: string;
	stop(): Promise<void>;
}

/** A port nothing listens on right now (the OS picks it; a tiny race with other processes is acceptable in tests). */
export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolve(port));
		});
	});
}

async function accepts(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = createConnection({ host: '127.0.0.1', port });
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
	});
}

export async function startRedis(): Promise<RedisServer> {
	const port = await freePort();
	const child: ChildProcess = spawn(
		'/usr/bin/redis-server',
		['--save', '', '--appendonly', 'no', '--port', String(port), '--bind', '127.0.0.1'],
		{ stdio: 'ignore' },
	);
	for (let i = 0; i < 100 && !(await accepts(port)); i++) await sleep(50);
	return {
		url: `redis://127.0.0.1:${port}`,
		async stop() {
			if (child.exitCode !== null) return;
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			await exited;
		},
	};
}
