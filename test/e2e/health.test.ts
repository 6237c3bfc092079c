import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../store/redis-server.ts';
import { type Rig, startRig } from './rig.ts';
import { takesIn } from './song-steps.ts';

/** What an orchestrator (Docker HEALTHCHECK, Kubernetes) and Prometheus see from the running bot. */
describe('health and metrics of the running bot', () => {
	let rig: Rig;
	let base: string;
	let metricsBase: string;
	beforeAll(async () => {
		const [port, metricsPort] = [await freePort(), await freePort()];
		rig = await startRig({ env: { HTTP_PORT: String(port), METRICS_PORT: String(metricsPort) } });
		base = `http://127.0.0.1:${port}`;
		metricsBase = `http://127.0.0.1:${metricsPort}`;
	});
	afterAll(async () => {
		await rig?.close();
	});

	it('GIVEN the gateway is connected and the store answers THEN /healthz says 200', async () => {
		const response = await fetch(`${base}/healthz`);
		expect(response.status).toBe(200);
	});

	it('GIVEN METRICS_PORT THEN /metrics is served there on loopback and not on the public HTTP_PORT', async () => {
		expect(rig.app.metricsUrl).toBe(metricsBase);
		expect((await fetch(`${base}/metrics`)).status).toBe(404);
		const response = await fetch(`${metricsBase}/metrics`);
		expect(response.status).toBe(200);
		expect(await response.text()).toMatch(/^songbot_active_tasks \d+$/m);
	});

	it('GIVEN a song was made THEN /metrics counts status requests and deliveries', async () => {
		const modal = await (await rig.double.user('alice').runSlash('song', { mode: 'describe' })).modal();
		await modal.submit({ description: 'a song for the metrics' });
		await rig.double.channel('general').waitFor((all) => takesIn(all).length === 2, { timeout: 20_000 });
		// A delivery is counted once its marker is saved, just after the take appears in the channel.
		let text = '';
		for (let i = 0; i < 100 && !/^songbot_deliveries_total 2$/m.test(text); i++) {
			if (i > 0) await new Promise((resolve) => setTimeout(resolve, 100));
			text = await (await fetch(`${metricsBase}/metrics`)).text();
		}
		expect(text).toMatch(/^songbot_deliveries_total 2$/m);
		expect(text).toMatch(/^songbot_status_requests_total [1-9]\d*$/m);
		expect(text).toMatch(/^songbot_active_tasks 0$/m);
	});

	it('GIVEN the gateway connection is gone THEN /healthz says 503', async () => {
		await rig.app.client.destroy();
		const response = await fetch(`${base}/healthz`);
		expect(response.status).toBe(503);
	});
});
