// The remote witness's queue survives a restart: checkpoints signed while the HTTPS/syslog
// endpoint is down are queued on disk beside the witness log, in the same step as the log's line;
// the app restarted (its modules loaded afresh, so nothing is left in memory) sends them once the
// endpoint is back, each exactly once and in order. The queue is bounded, with an alert when it
// overflows. On SQLite and PostgreSQL.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { signCheckpoint } from '../../src/lib/server/audit/checkpoints';

import { outboxPath, remoteWitnesses } from '../../src/lib/server/audit/remote-witness';
import { type SigningKey } from '../../src/lib/server/audit/signing-key';
import type { WitnessEntry } from '../../src/lib/server/audit/witness';
import { WitnessOutbox } from '../../src/lib/server/audit/witness-outbox';

import type { TestDb } from '../helpers/db';
import { auditedWrite, signedTrailEach } from '../helpers/trail';

let t: TestDb;
let key: SigningKey;
let dir: string;
const cleanups: Array<() => void | Promise<void>> = [];

signedTrailEach('witness-queue', (s) => ({ t, key, dir } = s));
afterEach(async () => {
	for (const c of cleanups.splice(0).reverse()) await c();
	delete process.env.VIGIL_WITNESS_URL;
	remoteWitnesses(witnessFile());
});

const write = () => auditedWrite(t);
const witnessFile = () => join(dir, 'witness.log');
const checkpoint = async () =>
	(await signCheckpoint(t.db, key, new Date(), { witnessFile: witnessFile() }))!;

const body = (req: IncomingMessage) =>
	new Promise<string>((resolve) => {
		let text = '';
		req.on('data', (c: Buffer) => (text += c.toString()));
		req.on('end', () => resolve(text));
	});

/** An HTTP witness endpoint that records each checkpoint it is given. */
function endpoint(got: WitnessEntry[], port = 0): Promise<{ server: Server; port: number }> {
	const server = createServer((req, res) => {
		void body(req).then((text) => {
			got.push(JSON.parse(text) as WitnessEntry);
			res.writeHead(204).end();
		});
	});
	return new Promise((resolve) =>
		server.listen(port, '127.0.0.1', () =>
			resolve({ server, port: (server.address() as AddressInfo).port })
		)
	);
}
const stopEndpoint = (server: Server) =>
	new Promise<void>((resolve) => {
		server.closeAllConnections();
		server.close(() => resolve());
	});

async function until(done: () => boolean, ms = 15_000): Promise<void> {
	const end = Date.now() + ms;
	while (!done()) {
		if (Date.now() > end) throw new Error('timed out');
		await new Promise((r) => setTimeout(r, 25));
	}
}

describe('the remote witness queue on disk', () => {
	it('endpoint down, app restarted, endpoint back: every checkpoint delivered once, in order', async () => {
		const got: WitnessEntry[] = [];
		let up = await endpoint(got);
		cleanups.push(() => stopEndpoint(up.server));
		process.env.VIGIL_WITNESS_URL = `http://127.0.0.1:${up.port}/witness`;
		const target = { kind: 'https' as const, url: process.env.VIGIL_WITNESS_URL };

		await write();
		const first = await checkpoint();
		await until(() => got.length === 1);

		// The endpoint goes down; two more checkpoints are signed and queued on disk.
		await stopEndpoint(up.server);
		const queued = [];
		for (let i = 0; i < 2; i++) {
			await write();
			queued.push(await checkpoint());
		}
		for (const w of remoteWitnesses(witnessFile())) await w.flush();
		const onDisk = new WitnessOutbox(outboxPath(target, witnessFile())).pending();
		expect(onDisk.map((e) => e.seq)).toEqual(queued.map((c) => c.seq));

		// The app stops (its in-memory queue is gone) and starts again from fresh modules.
		for (const w of remoteWitnesses(witnessFile())) w.stop();
		vi.resetModules();
		const restarted = await import('../../src/lib/server/audit/checkpoints');
		const fresh = await import('../../src/lib/server/audit/remote-witness');
		const stop = restarted.startCheckpointTimer(t.db, {
			key,
			witnessFile: witnessFile(),
			schedule: () => () => {}
		});
		cleanups.push(() => {
			stop();
			for (const w of fresh.remoteWitnesses(witnessFile())) w.stop();
		});
		await stop.first;

		// The endpoint comes back on the same address.
		up = await endpoint(got, up.port);
		await until(() => got.length >= 3);
		await new Promise((r) => setTimeout(r, 500));
		expect(got.map((e) => e.seq)).toEqual([first.seq, ...queued.map((c) => c.seq)]);
		expect(got.map((e) => e.at)).toEqual([first.signed_at, ...queued.map((c) => c.signed_at)]);
		// Delivered and marked: nothing left to send after another restart.
		expect(new WitnessOutbox(outboxPath(target, witnessFile())).pending()).toEqual([]);
		expect(readFileSync(outboxPath(target, witnessFile()), 'utf8')).toBe('');
	});

	it('bounded: beyond its room the oldest unsent are dropped with an alert naming them', () => {
		const alerts: string[] = [];
		const file = join(dir, 'queue');
		const outbox = new WitnessOutbox(file, (m) => alerts.push(m));
		const entry = (seq: number): WitnessEntry => ({
			seq,
			hash: `h${seq}`,
			at: `2026-12-09T10:0${seq}:00.000Z`,
			signature: 's',
			fingerprint: 'f'
		});
		for (let seq = 1; seq <= 5; seq++) outbox.append(entry(seq), 3);
		expect(outbox.pending().map((e) => e.seq)).toEqual([3, 4, 5]);
		expect(alerts).toHaveLength(2);
		expect(alerts[0]).toMatch(
			/ALERT: the witness queue .* is full \(3 unsent checkpoints\): dropped 1 unsent checkpoint\(s\), rows 1 to 1/
		);
		// What a restart reads back is what was left.
		expect(new WitnessOutbox(file).pending().map((e) => e.seq)).toEqual([3, 4, 5]);
		outbox.delivered(entry(4));
		expect(new WitnessOutbox(file).pending().map((e) => e.seq)).toEqual([5]);
	});
});
