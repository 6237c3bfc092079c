import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A node:http server the bot owns: started on a port (resolving with its base URL) and closed on shutdown. */
export interface ListeningServer {
	server: Server;
	/** Starts listening; resolves with the base URL (e.g. http://127.0.0.1:8080). */
	listen(port: number, host?: string): Promise<string>;
	close(): Promise<void>;
}

/**
 * Listen and close for one of the bot's HTTP servers, with the timeouts they share: a slow client cannot hold a
 * connection open for long. `defaultHost` is where it listens unless told otherwise.
 */
export function listening(server: Server, defaultHost: string): ListeningServer {
	server.requestTimeout = 15_000;
	server.headersTimeout = 10_000;
	return {
		server,
		listen(port, host = defaultHost) {
			return new Promise((resolve, reject) => {
				server.once('error', reject);
				server.listen(port, host, () => {
					server.off('error', reject);
					const address = server.address() as AddressInfo;
					const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
					resolve(`http://${shown}:${address.port}`);
				});
			});
		},
		close() {
			return new Promise((resolve, reject) => {
				server.close((error) => (error ? reject(error) : resolve()));
				server.closeIdleConnections();
			});
		},
	};
}
