// The witnesses off the machine: each signed checkpoint also goes to a syslog server (RFC 5424 over
// UDP, or TCP with octet counting) and to an HTTPS endpoint, real sockets in this process. A target
// that is down never holds up the write; the failure is logged and the checkpoint is sent once the
// target is back, in order. On SQLite and PostgreSQL.
import { execFileSync } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';

import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { signCheckpoint } from '../../src/lib/server/audit/checkpoints';

import {
	RemoteWitness,
	remoteWitnesses,
	syslogMessage,
	syslogTarget
} from '../../src/lib/server/audit/remote-witness';
import { type SigningKey } from '../../src/lib/server/audit/signing-key';
import { readWitness, type WitnessEntry } from '../../src/lib/server/audit/witness';

import type { TestDb } from '../helpers/db';
import { auditedWrite, signedTrailEach } from '../helpers/trail';

let t: TestDb;
let key: SigningKey;
let dir: string;
const closers: Array<() => void> = [];
const ENV = ['VIGIL_WITNESS_SYSLOG', 'VIGIL_WITNESS_URL', 'VIGIL_WITNESS_CA'] as const;

signedTrailEach('remote-witness', (s) => ({ t, key, dir } = s));
afterEach(() => {
	for (const w of remoteWitnesses()) w.stop();
	for (const name of ENV) delete process.env[name];
	remoteWitnesses();
	for (const close of closers.splice(0)) close();
});

const write = () => auditedWrite(t);
const witnessFile = () => join(dir, 'witness.log');
const checkpoint = () => signCheckpoint(t.db, key, new Date(), { witnessFile: witnessFile() });

/** Resolves when `count` items have arrived, with them. */
function collector<T>(count: number) {
	const got: T[] = [];
	let done!: (v: T[]) => void;
	const all = new Promise<T[]>((r) => (done = r));
	return {
		got,
		all,
		push(item: T) {
			got.push(item);
			if (got.length === count) done(got);
		}
	};
}

function udpListener(): Promise<{ socket: Socket; port: number }> {
	const socket = createSocket('udp4');
	closers.push(() => socket.close());
	return new Promise((resolve) =>
		socket.bind(0, '127.0.0.1', () => resolve({ socket, port: socket.address().port }))
	);
}

/** RFC 6587 octet-counted frames out of one TCP stream. */
function frames(buffer: Buffer): string[] {
	const out: string[] = [];
	let rest = buffer;
	while (rest.length > 0) {
		const space = rest.indexOf(0x20);
		const length = Number(rest.subarray(0, space).toString());
		out.push(rest.subarray(space + 1, space + 1 + length).toString());
		rest = rest.subarray(space + 1 + length);
	}
	return out;
}

function tcpListener(onMessage: (m: string) => void, port = 0): Promise<number> {
	const server = createTcpServer((socket) => {
		const chunks: Buffer[] = [];
		socket.on('data', (c: Buffer) => chunks.push(c));
		socket.on('end', () => frames(Buffer.concat(chunks)).forEach(onMessage));
	});
	closers.push(() => server.close());
	return new Promise((resolve) =>
		server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port))
	);
}

async function body(req: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const c of req) chunks.push(c as Buffer);
	return Buffer.concat(chunks).toString();
}

function listen(server: Server): Promise<number> {
	closers.push(() => server.close());
	return new Promise((resolve) =>
		server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port))
	);
}

/** A throwaway certificate authority-less certificate for 127.0.0.1 (the test trusts it by name). */
function selfSigned(): { key: string; cert: string; certFile: string } {
	const keyFile = join(dir, 'witness.key');
	const certFile = join(dir, 'witness.crt');
	execFileSync(
		'openssl',
		[
			'req',
			'-x509',
			'-newkey',
			'ec',
			'-pkeyopt',
			'ec_paramgen_curve:prime256v1',
			'-nodes',
			'-keyout',
			keyFile,
			'-out',
			certFile,
			'-days',
			'1',
			'-subj',
			'/CN=127.0.0.1',
			'-addext',
			'subjectAltName=IP:127.0.0.1'
		],
		{ stdio: 'ignore' }
	);
	return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8'), certFile };
}

/** The RFC 5424 header, structured data and message of one syslog line. */
function parseSyslog(line: string) {
	const m =
		/^<(\d+)>1 (\S+) (\S+) vigil (\d+) checkpoint \[vigil@32473 seq="(\d+)" hash="([0-9a-f]+)" fingerprint="([^"]+)"\] (.*)$/.exec(
			line
		);
	expect(m, line).not.toBeNull();
	return {
		pri: Number(m![1]),
		at: m![2],
		seq: Number(m![5]),
		hash: m![6],
		entry: JSON.parse(m![8]!) as WitnessEntry
	};
}

describe('each checkpoint goes to the witnesses off the machine', () => {
	it('syslog over UDP: an RFC 5424 message per checkpoint, the same line as the witness file', async () => {
		const { socket, port } = await udpListener();
		const received = collector<string>(2);
		socket.on('message', (m) => received.push(m.toString()));
		process.env.VIGIL_WITNESS_SYSLOG = `udp://127.0.0.1:${port}`;
		await write();
		await checkpoint();
		await write();
		await checkpoint();
		const lines = (await received.all).map(parseSyslog);
		const file = readWitness(witnessFile());
		expect(lines.map((l) => l.entry)).toEqual(file);
		expect(lines[0]).toMatchObject({
			pri: 109,
			at: file[0]!.at,
			seq: file[0]!.seq,
			hash: file[0]!.hash
		});
	});

	it('syslog over TCP, octet-counted frames', async () => {
		const received = collector<string>(1);
		const port = await tcpListener((m) => received.push(m));
		process.env.VIGIL_WITNESS_SYSLOG = `tcp://127.0.0.1:${port}`;
		await write();
		const c = (await checkpoint())!;
		const [line] = await received.all;
		expect(parseSyslog(line!).entry).toEqual(readWitness(witnessFile())[0]);
		expect(parseSyslog(line!).seq).toBe(c.seq);
	});

	it('HTTPS: a POST of the checkpoint JSON, trusting the site’s own certificate authority', async () => {
		const tls = selfSigned();
		const received = collector<{ type: string | undefined; json: WitnessEntry }>(1);
		const server = createHttpsServer({ key: tls.key, cert: tls.cert }, (req, res) => {
			void body(req).then((text) => {
				received.push({
					type: req.headers['content-type'],
					json: JSON.parse(text) as WitnessEntry
				});
				res.writeHead(204).end();
			});
		});
		const port = await listen(server as unknown as Server);
		process.env.VIGIL_WITNESS_URL = `https://127.0.0.1:${port}/witness`;
		process.env.VIGIL_WITNESS_CA = tls.certFile;
		await write();
		await checkpoint();
		const [got] = await received.all;
		expect(got!.type).toBe('application/json');
		expect(got!.json).toEqual(readWitness(witnessFile())[0]);
	});

	it('an HTTPS endpoint whose certificate is not trusted gets nothing, and that is logged', async () => {
		const tls = selfSigned();
		let posts = 0;
		const server = createHttpsServer({ key: tls.key, cert: tls.cert }, (_req, res) => {
			posts += 1;
			res.writeHead(204).end();
		});
		const port = await listen(server as unknown as Server);
		const logged: string[] = [];
		const w = new RemoteWitness(
			{ kind: 'https', url: `https://127.0.0.1:${port}/witness` },
			{ firstDelayMs: 60_000, log: (m) => logged.push(m) }
		);
		closers.push(() => w.stop());
		await write();
		w.send(readWitnessEntry((await checkpoint())!));
		await w.flush();
		expect(posts).toBe(0);
		expect(w.pending).toBe(1);
		expect(logged[0]).toMatch(/could not send row \d+ \(self.signed certificate/);
	});
});

function readWitnessEntry(c: {
	seq: number;
	hash: string;
	signed_at: string;
	signature: string;
	public_key_fingerprint: string;
}): WitnessEntry {
	return {
		seq: c.seq,
		hash: c.hash,
		at: c.signed_at,
		signature: c.signature,
		fingerprint: c.public_key_fingerprint
	};
}

describe('a witness that is down', () => {
	it('never holds up the write; the checkpoints are sent in order once it is back', async () => {
		// A port with nothing listening on it (taken, then freed).
		const probe = createTcpServer();
		const port = await new Promise<number>((r) =>
			probe.listen(0, '127.0.0.1', () => r((probe.address() as AddressInfo).port))
		);
		await new Promise((r) => probe.close(r));
		const logged: string[] = [];
		const w = new RemoteWitness(syslogTarget(`tcp://127.0.0.1:${port}`)!, {
			firstDelayMs: 50,
			maxDelayMs: 200,
			log: (m) => logged.push(m)
		});
		closers.push(() => w.stop());
		const entries: WitnessEntry[] = [];
		for (let i = 0; i < 3; i++) {
			await write();
			const started = Date.now();
			const c = (await checkpoint())!;
			entries.push(readWitnessEntry(c));
			w.send(entries.at(-1)!);
			expect(Date.now() - started).toBeLessThan(2_000);
		}
		await w.flush();
		expect(w.pending).toBe(3);
		expect(logged[0]).toMatch(
			/syslog tcp:\/\/127\.0\.0\.1:\d+: could not send row \d+ \(.*ECONNREFUSED/
		);
		const received = collector<string>(3);
		await tcpListener((m) => received.push(m), port);
		const lines = (await received.all).map(parseSyslog);
		expect(lines.map((l) => l.entry)).toEqual(entries);
		expect(w.pending).toBe(0);
	});

	it('an endpoint answering 503 is retried until it answers 2xx; each failure is logged', async () => {
		let calls = 0;
		const received = collector<WitnessEntry>(1);
		const server = createHttpServer((req, res) => {
			calls += 1;
			void body(req).then((text) => {
				if (calls <= 2) return res.writeHead(503).end();
				received.push(JSON.parse(text) as WitnessEntry);
				res.writeHead(200).end();
			});
		});
		const port = await listen(server);
		const logged: string[] = [];
		const w = new RemoteWitness(
			{ kind: 'https', url: `http://127.0.0.1:${port}/w` },
			{ firstDelayMs: 20, log: (m) => logged.push(m) }
		);
		closers.push(() => w.stop());
		await write();
		const entry = readWitnessEntry((await checkpoint())!);
		w.send(entry);
		expect(await received.all).toEqual([entry]);
		expect(calls).toBe(3);
		expect(logged).toHaveLength(2);
		expect(logged[0]).toMatch(/could not send row \d+ \(answered 503\); retrying in 20 ms/);
		expect(logged[1]).toMatch(/retrying in 40 ms/);
	});

	it('a syslog setting that is not udp:// or tcp:// is refused with the reason', () => {
		expect(syslogTarget('udp://127.0.0.1:514')).toEqual({
			kind: 'syslog',
			transport: 'udp',
			host: '127.0.0.1',
			port: 514
		});
		expect(syslogTarget('tcp://log.example:6514')).toMatchObject({
			host: 'log.example',
			port: 6514
		});
		expect(syslogTarget('http://log.example')).toBeNull();
		expect(syslogTarget('udp://host:99999')).toBeNull();
		const line = syslogMessage(
			{ seq: 1, hash: 'ab', at: '2026-11-20T10:00:00.000Z', signature: 's', fingerprint: 'f"]' },
			'host'
		);
		expect(line).toContain('fingerprint="f\\"\\]"');
	});
});
