import tls from 'node:tls';

/**
 * Makes this process trust the double's certificate for the `wss://` voice socket (discord-protocol.md §5.9).
 * @discordjs/voice opens `new WebSocket(url)` with no options, so only the process-wide CA store can do it.
 * Idempotent; adds to the default store rather than replacing it.
 */
export function trustCertificate(certPem: string): void {
	const current = tls.getCACertificates('default');
	if (current.some((pem) => pem.trim() === certPem.trim())) return;
	tls.setDefaultCACertificates([...current, certPem]);
}
