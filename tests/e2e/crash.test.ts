// Crash safety: the built server (adapter-node's output) is killed with SIGKILL while four writers
// post vital readings through the JSON API, several rounds on one database. After each kill every
// write the server acknowledged (201 with its id) is in the database with its audit entry, the
// database is intact (SQLite's `PRAGMA integrity_check`; on PostgreSQL amcheck's B-tree checks of
// every index), `audit verify` passes (chain, signed head, checkpoints, witness, data against its
// trail), and the server starts again on it.
//
// Nothing here may wait for ever: every request carries a deadline, the server's output goes to a
// file (no pipe to fill), and the server's exit is awaited with a deadline too.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createPostgresDatabase, onPostgres } from '../helpers/database';

const ROUNDS = Number(process.env.VIGIL_CRASH_ROUNDS ?? 3);
const WRITERS = 4;
/** Every request's deadline: a writer whose server died must not wait longer. */
const REQUEST_MS = 5_000;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const dir = mkdtempSync(join(tmpdir(), 'vigil-crash-'));
const logFile = join(dir, 'server.log');
let port = 0;
let base = '';
let databaseUrl = '';
const password = 'crash-demo-password';
let child: ChildProcess | null = null;

function env(): NodeJS.ProcessEnv {
	return {
		...process.env,
		PORT: String(port),
		HOST: '127.0.0.1',
		ORIGIN: base,
		VIGIL_DB: join(dir, 'vigil.db'),
		VIGIL_DATABASE_URL: databaseUrl,
		VIGIL_KEY_DIR: join(dir, 'keys'),
		VIGIL_DEMO: '1',
		VIGIL_DEMO_PASSWORD: password,
		VIGIL_DEMO_PARTICIPANTS: '0',
		VIGIL_SECOND_FACTOR_ROLES: 'none',
		// Four writers on a quiet machine post more rechecks into a session than the default limit
		// (200 unscheduled readings) allows a site; the limit is not what this test is about.
		VIGIL_MAX_UNSCHEDULED_READINGS: '100000'
	};
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The promise, or a rejection naming what did not happen within `ms`. */
async function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const late = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(`${what}: not done within ${ms} ms`)), ms);
	});
	try {
		return await Promise.race([work, late]);
	} finally {
		clearTimeout(timer);
	}
}

function freePort(): Promise<number> {
	return new Promise((done) => {
		const srv = createServer().listen(0, '127.0.0.1', () => {
			const a = srv.address();
			srv.close(() => done(typeof a === 'object' && a ? a.port : 0));
		});
	});
}

const exited = (c: ChildProcess) => c.exitCode !== null || c.signalCode !== null;
const serverLog = () => readFileSync(logFile, 'utf8').slice(-3000);

async function startServer(): Promise<void> {
	// Output to a file: a pipe nobody reads fills up and stalls the server.
	const out = openSync(logFile, 'a');
	child = spawn(process.execPath, [inject('serverEntry')], {
		env: env(),
		stdio: ['ignore', out, out]
	});
	closeSync(out);
	const deadline = Date.now() + 90_000;
	while (Date.now() < deadline) {
		if (exited(child)) throw new Error(`The server exited at start:\n${serverLog()}`);
		const up = await fetch(`${base}/login`, { signal: AbortSignal.timeout(2_000) }).then(
			async (r) => (await r.body?.cancel(), r.ok),
			() => false
		);
		if (up) return;
		await sleep(150);
	}
	throw new Error(`The server did not answer within 90 s:\n${serverLog()}`);
}

/** SIGKILL, then the exit itself (listened for before the signal, so it cannot be missed). */
async function killServer(): Promise<void> {
	const c = child;
	child = null;
	if (!c || exited(c)) return;
	const gone = new Promise<void>((done) => c.once('exit', () => done()));
	c.kill('SIGKILL');
	await within(10_000, 'the killed server exiting', gone);
}

async function request(cookie: string, method: string, path: string, body?: unknown) {
	const res = await fetch(`${base}/api/v1${path}`, {
		method,
		headers: { cookie, origin: base, 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
		signal: AbortSignal.timeout(REQUEST_MS)
	});
	return { status: res.status, body: (await res.json()) as Json };
}

async function signIn(email: string): Promise<string> {
	const res = await fetch(`${base}/login`, {
		method: 'POST',
		headers: { origin: base, 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ email, password }),
		redirect: 'manual',
		signal: AbortSignal.timeout(REQUEST_MS * 4)
	});
	await res.body?.cancel();
	const match = /vigil_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '');
	if (!match) throw new Error(`sign-in failed: ${res.status}`);
	return `vigil_session=${match[1]}`;
}

/** A participant at site 01 with a dosing session that takes readings; its session id. */
async function dosingSession(cookie: string, n: number): Promise<number> {
	const site = (await request(cookie, 'GET', '/sites')).body.sites[0].id as number;
	const study = (await request(cookie, 'GET', '/studies')).body.studies[0].id as number;
	const p = await request(cookie, 'POST', '/participants', {
		siteId: site,
		studyId: study,
		subjectCode: `01-${9100 + n}`,
		sex: 'F',
		birthYear: 1980,
		doseGroup: '120 mg',
		status: 'enrolled',
		enrolledOn: new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10)
	});
	if (p.status !== 201) throw new Error(`participant: ${p.status} ${JSON.stringify(p.body)}`);
	const visits = (await request(cookie, 'GET', `/participants/${p.body.id}/visits`)).body.visits;
	const dosing = (visits as Json[]).find((v) => v.kind === 'dosing')!;
	const s = await request(cookie, 'POST', `/participants/${p.body.id}/dosing-sessions`, {
		visitId: dosing.id,
		t0: new Date(Date.now() - 60 * 60_000).toISOString().replace(/\.\d+Z$/, 'Z'),
		initialDoseMg: 120,
		deviationReason: 'Crash test: a session for the writers'
	});
	if (s.status !== 201) throw new Error(`session: ${s.status} ${JSON.stringify(s.body)}`);
	return s.body.id as number;
}

interface Ack {
	id: number;
	clientKey: string;
}

/**
 * Posts readings one after another until the server is gone; returns what it acknowledged and
 * any answer that was neither an acknowledgement nor a lost connection. Never throws.
 */
async function writer(
	cookie: string,
	sessionId: number,
	tag: string,
	killed: () => boolean,
	acked: Ack[]
) {
	const serverErrors: string[] = [];
	let cut = 0;
	let i = 0;
	while (!killed()) {
		const clientKey = `crash-${tag}-${String((i += 1)).padStart(6, '0')}`;
		try {
			const res = await request(cookie, 'POST', `/dosing-sessions/${sessionId}/vitals`, {
				timepoint: 'unscheduled',
				takenAt: '',
				systolic: 118 + (i % 5),
				diastolic: 78,
				heartRate: 70,
				clientKey
			});
			if (res.status === 201) acked.push({ id: res.body.id as number, clientKey });
			else serverErrors.push(`${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
		} catch {
			// The connection failed or timed out: the server is being killed.
			cut += 1;
			await sleep(20);
		}
	}
	return { acked, serverErrors, cut };
}

interface Stored {
	readings: Set<number>;
	audited: Set<number>;
	integrity: string;
}

const ids = (acks: Ack[]) => acks.map((a) => a.id);

/** What the database holds of these readings, read straight from it while no server runs. */
async function stored(acks: Ack[]): Promise<Stored> {
	const wanted = ids(acks);
	if (!onPostgres) {
		const db = new Database(join(dir, 'vigil.db'), { fileMustExist: true });
		try {
			const integrity = (db.pragma('integrity_check') as Array<{ integrity_check: string }>)
				.map((r) => r.integrity_check)
				.join('; ');
			const inList = wanted.map(() => '?').join(',') || 'null';
			const readings = db
				.prepare(`select id from vital_reading where id in (${inList})`)
				.all(...wanted) as Array<{ id: number }>;
			const audited = db
				.prepare(
					`select entity_id from audit_event where entity_type = 'vital_reading' and entity_id in (${inList})`
				)
				.all(...wanted.map(String)) as Array<{ entity_id: string }>;
			return {
				readings: new Set(readings.map((r) => r.id)),
				audited: new Set(audited.map((r) => Number(r.entity_id))),
				integrity
			};
		} finally {
			db.close();
		}
	}
	const client = new pg.Client({ connectionString: databaseUrl });
	await client.connect();
	try {
		// PostgreSQL's counterpart of integrity_check: amcheck verifies every B-tree index
		// against its table's heap (heapallindexed), so a torn write would surface here.
		await client.query('create extension if not exists amcheck');
		const indexes = await client.query<{ oid: number; name: string }>(
			`select c.oid, c.relname as name from pg_index i join pg_class c on c.oid = i.indexrelid
			 join pg_am a on a.oid = c.relam join pg_namespace n on n.oid = c.relnamespace
			 where a.amname = 'btree' and n.nspname = 'public'`
		);
		const broken: string[] = [];
		for (const ix of indexes.rows) {
			await client.query('select bt_index_check($1, true)', [ix.oid]).catch((e: Error) => {
				broken.push(`${ix.name}: ${e.message}`);
			});
		}
		const readings = await client.query<{ id: number }>(
			'select id from vital_reading where id = any($1::int[])',
			[wanted]
		);
		const audited = await client.query<{ entity_id: string }>(
			`select entity_id from audit_event where entity_type = 'vital_reading' and entity_id = any($1::text[])`,
			[wanted.map(String)]
		);
		return {
			readings: new Set(readings.rows.map((r) => Number(r.id))),
			audited: new Set(audited.rows.map((r) => Number(r.entity_id))),
			integrity: broken.length ? broken.join('; ') : `ok (${indexes.rows.length} indexes)`
		};
	} finally {
		await client.end();
	}
}

/** `npm run vigil -- audit verify` on the same database, key and witness as the server. */
function auditVerify(): Promise<{ code: number; output: string }> {
	const tsx = resolve('node_modules/tsx/dist/cli.mjs');
	return new Promise((done) => {
		execFile(
			process.execPath,
			[tsx, 'scripts/vigil.ts', 'audit', 'verify'],
			{ env: env(), timeout: 90_000, killSignal: 'SIGKILL', maxBuffer: 4 * 1024 * 1024 },
			(error, stdout, stderr) => {
				const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
				done({ code, output: `${stdout}${stderr}` });
			}
		);
	});
}

interface Round {
	acked: Ack[];
	/** Requests that lost their connection: the kill came while they were in flight. */
	cut: number;
	serverErrors: string[];
	stored: Stored;
	verify: { code: number; output: string };
}

const rounds: Round[] = [];
let restartedAfterLast = false;

beforeAll(async () => {
	port = await freePort();
	base = `http://127.0.0.1:${port}`;
	databaseUrl = onPostgres ? await createPostgresDatabase('crash') : '';
	await startServer();
	const cookie = await signIn('coordinator@demo.vigil.test');
	const sessions: number[] = [];
	for (let n = 0; n < WRITERS; n += 1) sessions.push(await dosingSession(cookie, n));
	for (let round = 1; round <= ROUNDS; round += 1) {
		if (round > 1) await startServer();
		let killed = false;
		const soFar: Ack[][] = sessions.map(() => []);
		const writers = sessions.map((id, n) =>
			writer(cookie, id, `r${round}w${n}`, () => killed, soFar[n]!)
		);
		// Let them write for a while (on a busy machine, until a few writes are acknowledged),
		// then kill the server in the middle of their requests.
		const started = Date.now();
		const minimum = 1_500 + Math.floor(Math.random() * 1_000);
		const enough = () => soFar.flat().length >= 3 * WRITERS;
		while (Date.now() - started < minimum || (!enough() && Date.now() - started < 30_000)) {
			await sleep(50);
		}
		await killServer();
		killed = true;
		const done = await within(REQUEST_MS * 3, 'the writers stopping', Promise.all(writers));
		const acked = done.flatMap((w) => w.acked);
		rounds.push({
			acked,
			cut: done.reduce((n, w) => n + w.cut, 0),
			serverErrors: done.flatMap((w) => w.serverErrors),
			stored: await within(120_000, 'reading the database', stored(acked)),
			verify: await auditVerify()
		});
	}
	await startServer();
	restartedAfterLast = true;
	await killServer();
}, 900_000);

afterAll(async () => {
	await killServer().catch(() => undefined);
	rmSync(dir, { recursive: true, force: true });
});

describe(`the server SIGKILLed under ${WRITERS} writers, ${ROUNDS} rounds`, () => {
	it('acknowledged writes in every round', () => {
		expect(rounds).toHaveLength(ROUNDS);
		for (const r of rounds) expect(r.acked.length).toBeGreaterThan(WRITERS);
		// The kill came while writers were waiting for answers (else it tested a quiet server).
		for (const r of rounds) expect(r.cut).toBeGreaterThan(0);
		console.log(
			`crash test: ${rounds.map((r) => r.acked.length).join(' + ')} acknowledged readings, ` +
				`${rounds.map((r) => r.cut).join(' + ')} requests cut by the kill; ` +
				rounds[0]!.verify.output.split('\n')[0]
		);
	});

	it('answers every write it answers with an acknowledgement (no refusal, no server error)', () => {
		expect(rounds.flatMap((r) => r.serverErrors)).toEqual([]);
	});

	it('keeps every acknowledged reading, each with its audit entry', () => {
		for (const [i, r] of rounds.entries()) {
			const lost = ids(r.acked).filter((id) => !r.stored.readings.has(id));
			const unaudited = ids(r.acked).filter((id) => !r.stored.audited.has(id));
			expect({ round: i + 1, lost, unaudited }).toEqual({ round: i + 1, lost: [], unaudited: [] });
		}
	});

	it('leaves the database intact after each kill', () => {
		for (const r of rounds) expect(r.stored.integrity).toMatch(/^ok\b/);
	});

	it('passes audit verify after each kill', () => {
		for (const r of rounds) {
			expect(r.verify.output).toMatch(/intact|verified|OK/i);
			expect(r.verify.code, r.verify.output).toBe(0);
		}
	});

	it('starts again on the database after the last kill', () => {
		expect(restartedAfterLast).toBe(true);
	});
});
