// Witnesses off the machine, optional: each checkpoint is also sent to a syslog server (RFC 5424,
// over UDP or over TCP with RFC 6587 octet counting; VIGIL_WITNESS_SYSLOG) and/or POSTed as JSON
// to an HTTPS endpoint (VIGIL_WITNESS_URL; VIGIL_WITNESS_CA names a private CA). Whoever holds
// this machine can rewrite the database, the key and the witness file together; a copy already
// on another machine they cannot take back. Sending never blocks a write: each target keeps its
// own queue, on disk beside the witness log (witness-outbox.ts), so a restart while the target is
// down loses nothing; a failure is logged and retried with a growing pause, and nothing is lost
// while the queue has room (VIGIL_WITNESS_QUEUE_MAX, 10,000 by default; beyond, an alert).
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createHash } from 'node:crypto';
import { connect } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { readAuditSettings } from '../runtime/config';
import { keyDirectory } from './signing-key';
import { witnessPath, type WitnessEntry } from './witness';
import { WitnessOutbox } from './witness-outbox';

export type RemoteTarget =
	| { kind: 'syslog'; transport: 'udp' | 'tcp'; host: string; port: number }
	| { kind: 'https'; url: string; ca?: string };

/** `udp://host:port` or `tcp://host:port` (port 514 by default); null with the reason logged. */
export function syslogTarget(raw: string): RemoteTarget | null {
	const m = /^(udp|tcp):\/\/(\[[^\]]+\]|[^:/]+)(?::(\d{1,5}))?\/?$/.exec(raw.trim());
	const port = m ? Number(m[3] ?? 514) : 0;
	if (!m || port < 1 || port > 65535) {
		console.error(
			`[vigil] VIGIL_WITNESS_SYSLOG must be udp://host:port or tcp://host:port, not ${raw}`
		);
		return null;
	}
	return {
		kind: 'syslog',
		transport: m[1] as 'udp' | 'tcp',
		host: m[2]!.replace(/^\[|\]$/g, ''),
		port
	};
}

// RFC 5424 §6.2.1: facility 13 (log audit), severity 5 (notice).
const PRI = 13 * 8 + 5;
// RFC 5424 §7.2.2: the private enterprise number reserved for documentation (RFC 5612).
const SD_ID = 'vigil@32473';

const sdValue = (v: string | number) => String(v).replace(/["\\\]]/g, (c) => `\\${c}`);

/** One RFC 5424 message: the witness line as its text, its fields as structured data. */
export function syslogMessage(entry: WitnessEntry, host = hostname()): string {
	const sd = `[${SD_ID} seq="${sdValue(entry.seq)}" hash="${sdValue(entry.hash)}" fingerprint="${sdValue(entry.fingerprint)}"]`;
	const name = host.replace(/[^\x21-\x7e]/g, '').slice(0, 255) || '-';
	return `<${PRI}>1 ${entry.at} ${name} vigil ${process.pid} checkpoint ${sd} ${JSON.stringify(entry)}`;
}

function sendUdp(host: string, port: number, messages: string[]): Promise<void> {
	const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
	const one = (m: string) =>
		new Promise<void>((resolve, reject) =>
			socket.send(Buffer.from(m), port, host, (e) => (e ? reject(e) : resolve()))
		);
	return messages
		.reduce((p, m) => p.then(() => one(m)), Promise.resolve())
		.finally(() => socket.close());
}

/** RFC 6587 §3.4.1 octet counting: `LENGTH SP MESSAGE`, one after another on one connection. */
function sendTcp(host: string, port: number, messages: string[], timeoutMs: number): Promise<void> {
	return new Promise((resolve, reject) => {
		const socket = connect({ host, port });
		socket.setTimeout(timeoutMs, () => socket.destroy(new Error('syslog witness timed out')));
		socket.once('error', reject);
		socket.once('connect', () => {
			const framed = messages.map((m) => `${Buffer.byteLength(m)} ${m}`).join('');
			socket.end(framed, () => resolve());
		});
	});
}

function post(
	target: { url: string; ca?: string },
	body: string,
	timeoutMs: number
): Promise<void> {
	const url = new URL(target.url);
	const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
	return new Promise((resolve, reject) => {
		const req = send(
			url,
			{
				method: 'POST',
				headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
				timeout: timeoutMs,
				...(target.ca ? { ca: target.ca } : {})
			},
			(res) => {
				res.resume();
				const status = res.statusCode ?? 0;
				if (status >= 200 && status < 300) resolve();
				else reject(new Error(`answered ${status}`));
			}
		);
		req.on('timeout', () => req.destroy(new Error('timed out')));
		req.on('error', reject);
		req.end(body);
	});
}

export function describeTarget(t: RemoteTarget): string {
	return t.kind === 'https' ? t.url : `syslog ${t.transport}://${t.host}:${t.port}`;
}

export interface RemoteWitnessOptions {
	/** The first pause after a failure; doubled each time up to `maxDelayMs`. */
	firstDelayMs?: number;
	maxDelayMs?: number;
	/** Entries kept while a target is down; the oldest go first (logged) beyond this. */
	maxQueue?: number;
	timeoutMs?: number;
	log?: (message: string) => void;
	/** The queue on disk (the process's witnesses have one); without, the queue is in memory. */
	outbox?: WitnessOutbox;
}

/** One target's queue: sends in order, retries after a failure, never throws to the caller. */
export class RemoteWitness {
	private queue: WitnessEntry[] = [];
	private busy: Promise<void> | null = null;
	private timer: NodeJS.Timeout | null = null;
	private delay: number;
	private stopped = false;
	readonly failures: string[] = [];

	constructor(
		readonly target: RemoteTarget,
		private readonly opts: RemoteWitnessOptions = {}
	) {
		this.delay = opts.firstDelayMs ?? 1_000;
		// What an earlier process queued and never delivered goes first.
		if (opts.outbox) {
			this.queue = opts.outbox.pending();
			if (this.queue.length > 0) {
				this.log(`${this.queue.length} checkpoint(s) queued before a restart; sending`);
				void this.flush();
			}
		}
	}

	get pending(): number {
		return this.queue.length;
	}

	send(entry: WitnessEntry): void {
		const max = this.opts.maxQueue ?? 10_000;
		if (this.opts.outbox) {
			try {
				this.opts.outbox.append(entry, max);
			} catch (e) {
				this.log(`could not queue row ${entry.seq} on disk (${(e as Error).message})`);
			}
		}
		this.queue.push(entry);
		if (this.queue.length > max) {
			const dropped = this.queue.splice(0, this.queue.length - max);
			this.log(`dropped ${dropped.length} unsent checkpoint(s), the oldest row ${dropped[0]!.seq}`);
		}
		if (!this.timer) void this.flush();
	}

	/** Settles when the queue is sent or a send has failed (a retry is then scheduled). */
	flush(): Promise<void> {
		this.busy ??= this.sendQueued().finally(() => (this.busy = null));
		return this.busy;
	}

	/** Stops retrying (a stopped witness sends nothing more; its queue on disk stays). */
	stop(): void {
		this.stopped = true;
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
	}

	private log(message: string): void {
		const line = `witness ${describeTarget(this.target)}: ${message}`;
		this.failures.push(line);
		(this.opts.log ?? ((m: string) => console.error(`[vigil] ${m}`)))(line);
	}

	private async sendQueued(): Promise<void> {
		while (this.queue.length > 0 && !this.stopped) {
			const batch = this.queue.slice();
			try {
				await this.deliver(batch);
			} catch (e) {
				this.log(
					`could not send row ${batch[0]!.seq} (${(e as Error).message}); retrying in ${this.delay} ms`
				);
				// One retry at a time: a flush asked for while one waits replaces it.
				if (this.timer) clearTimeout(this.timer);
				if (this.stopped) return;
				this.timer = setTimeout(() => {
					this.timer = null;
					void this.flush();
				}, this.delay);
				this.timer.unref();
				this.delay = Math.min(this.delay * 2, this.opts.maxDelayMs ?? 300_000);
				return;
			}
			this.queue.splice(0, batch.length);
			try {
				this.opts.outbox?.delivered(batch[batch.length - 1]!);
			} catch (e) {
				this.log(
					`could not mark row ${batch[batch.length - 1]!.seq} sent (${(e as Error).message})`
				);
			}
			this.delay = this.opts.firstDelayMs ?? 1_000;
		}
	}

	private async deliver(batch: WitnessEntry[]): Promise<void> {
		const timeout = this.opts.timeoutMs ?? 10_000;
		const t = this.target;
		if (t.kind === 'https') {
			for (const e of batch) await post(t, JSON.stringify(e), timeout);
			return;
		}
		const messages = batch.map((e) => syslogMessage(e));
		if (t.transport === 'udp') await sendUdp(t.host, t.port, messages);
		else await sendTcp(t.host, t.port, messages, timeout);
	}
}

/** The targets the settings name. */
export function configuredTargets(): RemoteTarget[] {
	const s = readAuditSettings();
	const targets: RemoteTarget[] = [];
	if (s.witnessSyslog) {
		const t = syslogTarget(s.witnessSyslog);
		if (t) targets.push(t);
	}
	if (s.witnessUrl) {
		let ca: string | undefined;
		try {
			ca = s.witnessCa ? readFileSync(s.witnessCa, 'utf8') : undefined;
		} catch (e) {
			console.error(`[vigil] VIGIL_WITNESS_CA ${s.witnessCa} cannot be read:`, e);
		}
		targets.push({ kind: 'https', url: s.witnessUrl, ca });
	}
	return targets;
}

/**
 * Where a target's queue is kept: beside the witness log (`<log>.queue-<target digest>`), or in
 * the key directory when no log is kept.
 */
export function outboxPath(
	target: RemoteTarget,
	witnessFile: string | null = witnessPath()
): string {
	const tag = createHash('sha256').update(describeTarget(target)).digest('hex').slice(0, 12);
	const base = witnessFile ?? join(keyDirectory(), 'vigil-witness-none.log');
	return `${base}.queue-${tag}`;
}

let current: { key: string; witnesses: RemoteWitness[] } | null = null;

/**
 * The process's remote witnesses, made again when their settings change; each made with its
 * queue on disk, whose undelivered checkpoints it starts sending at once (start-up calls this).
 */
export function remoteWitnesses(witnessFile: string | null = witnessPath()): RemoteWitness[] {
	const targets = configuredTargets();
	const key = JSON.stringify({ targets, witnessFile });
	if (current?.key !== key) {
		for (const w of current?.witnesses ?? []) w.stop();
		const maxQueue = readAuditSettings().witnessQueueMax;
		current = {
			key,
			witnesses: targets.map(
				(t) =>
					new RemoteWitness(t, {
						maxQueue,
						outbox: new WitnessOutbox(outboxPath(t, witnessFile))
					})
			)
		};
	}
	return current.witnesses;
}

/** Queues a checkpoint (on disk) for every remote witness configured and sends it; returns at once. */
export function sendToRemoteWitnesses(
	entry: WitnessEntry,
	witnessFile: string | null = witnessPath()
): void {
	for (const w of remoteWitnesses(witnessFile)) w.send(entry);
}
