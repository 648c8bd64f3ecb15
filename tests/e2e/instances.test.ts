// Two instances of the built server on one PostgreSQL database (VIGIL_TEST_DB=postgres): a reading
// saved through one reaches the other's live board at once; the safety clock, ticking every
// second on both, raises one late-reading flag; concurrent writes through both keep the audit
// chain linear.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openPostgres, type PostgresDatabase } from '../../src/lib/server/db';
import { systemContext } from '../../src/lib/server/runtime/context';
import { verifyAuditChain } from '../../src/lib/server/services/audit/audit';
import { createPostgresDatabase, onPostgres } from '../helpers/database';
import { sql } from 'kysely';

const PASSWORD = 'instances-demo-password';
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function freePort(): Promise<number> {
	return new Promise((resolve) => {
		const srv = createServer().listen(0, '127.0.0.1', () => {
			const a = srv.address();
			srv.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
		});
	});
}

interface Instance {
	base: string;
	child: ChildProcess;
	log: () => string;
}

async function startInstance(url: string, dir: string): Promise<Instance> {
	const port = await freePort();
	const base = `http://127.0.0.1:${port}`;
	let output = '';
	const child = spawn(process.execPath, [inject('serverEntry')], {
		env: {
			...process.env,
			PORT: String(port),
			HOST: '127.0.0.1',
			ORIGIN: base,
			VIGIL_DATABASE_URL: url,
			VIGIL_DB: join(dir, 'unused.db'), // its folder holds the demo sign-ins file
			VIGIL_DEMO: '1',
			VIGIL_DEMO_PARTICIPANTS: '0',
			VIGIL_DEMO_PASSWORD: PASSWORD,
			VIGIL_SIGNING_KEY: join(dir, 'vigil-signing.key'),
			// The instances share this database's own witness log, never the user's default one
			// (which holds heads of other databases).
			VIGIL_WITNESS_FILE: join(dir, 'vigil-witness.log'),
			VIGIL_SAFETY_CLOCK_SECONDS: '1'
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
	child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
	const deadline = Date.now() + 120_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`instance exited:\n${output}`);
		const up = await fetch(`${base}/login`).then(
			(r) => r.ok,
			() => false
		);
		if (up) return { base, child, log: () => output };
		await new Promise((r) => setTimeout(r, 200));
	}
	throw new Error(`instance did not answer:\n${output}`);
}

async function signIn(i: Instance, email: string): Promise<string> {
	const res = await fetch(`${i.base}/login`, {
		method: 'POST',
		headers: { origin: i.base, 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ email, password: PASSWORD }),
		redirect: 'manual'
	});
	const match = /vigil_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '');
	if (!match) throw new Error(`sign-in failed: ${res.status}`);
	return `vigil_session=${match[1]}`;
}

async function call(i: Instance, cookie: string, method: string, path: string, body?: unknown) {
	const res = await fetch(`${i.base}/api/v1${path}`, {
		method,
		headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
		body: body === undefined ? undefined : JSON.stringify(body)
	});
	return { status: res.status, body: (await res.json()) as Json };
}

/** ISO time `seconds` ago, without milliseconds. */
const secondsAgo = (seconds: number) =>
	new Date(Date.now() - seconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z');

describe.runIf(onPostgres)('two instances on one PostgreSQL database', () => {
	let dir: string;
	let db: PostgresDatabase;
	let a: Instance;
	let b: Instance;
	let coordinatorA: string;
	let coordinatorB: string;
	let studyId: number;
	let siteId: number;

	beforeAll(async () => {
		dir = mkdtempSync(join(tmpdir(), 'vigil-instances-'));
		// The chain check below, in this process, reads the same witness log as the instances.
		process.env.VIGIL_WITNESS_FILE = join(dir, 'vigil-witness.log');
		const url = await createPostgresDatabase('instances');
		a = await startInstance(url, dir);
		b = await startInstance(url, dir);
		db = openPostgres(url, 2);
		coordinatorA = await signIn(a, 'coordinator@demo.vigil.test');
		coordinatorB = await signIn(b, 'coordinator@demo.vigil.test');
		studyId = (await call(a, coordinatorA, 'GET', '/studies')).body.studies[0].id;
		siteId = (await call(a, coordinatorA, 'GET', '/sites')).body.sites[0].id;
	}, 240_000);
	afterAll(async () => {
		a?.child.kill('SIGTERM');
		b?.child.kill('SIGTERM');
		await db?.db.destroy();
		rmSync(dir, { recursive: true, force: true });
	});

	/** A participant and a dosing session started `t0SecondsAgo`, through instance `i`. */
	async function session(i: Instance, cookie: string, t0SecondsAgo: number): Promise<number> {
		const code = `01-${1000 + Math.floor(Math.random() * 9000)}`;
		const enrolledOn = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
		const p = await call(i, cookie, 'POST', '/participants', {
			siteId,
			studyId,
			subjectCode: code,
			sex: 'F',
			birthYear: 1980,
			doseGroup: '120 mg',
			status: 'enrolled',
			enrolledOn
		});
		expect(p.status).toBe(201);
		const visits = await call(i, cookie, 'GET', `/participants/${p.body.id}/visits`);
		const dosing = visits.body.visits.find((v: Json) => v.kind === 'dosing');
		const s = await call(i, cookie, 'POST', `/participants/${p.body.id}/dosing-sessions`, {
			visitId: dosing.id,
			t0: secondsAgo(t0SecondsAgo),
			initialDoseMg: 120,
			// Enrolled today, dosed today: outside the dosing visit's window, a deviation with a reason.
			deviationReason: 'two-instance test set-up'
		});
		expect(s.status).toBe(201);
		return s.body.id as number;
	}

	const reading = (timepoint: number, takenSecondsAgo: number, systolic: number) => ({
		timepoint,
		takenAt: secondsAgo(takenSecondsAgo),
		systolic,
		diastolic: 80,
		heartRate: 72
	});

	it("a reading saved through one instance reaches the other's live board at once", async () => {
		const investigator = await signIn(b, 'investigator@demo.vigil.test');
		const id = await session(a, coordinatorA, 40 * 60);
		await call(a, coordinatorA, 'POST', `/dosing-sessions/${id}/vitals/batch`, {
			readings: [reading(-30, 65 * 60, 122)]
		});
		const abort = new AbortController();
		const stream = await fetch(`${b.base}/review/events`, {
			headers: { cookie: investigator },
			signal: abort.signal
		});
		expect(stream.status).toBe(200);
		const reader = stream.body!.getReader();
		const decoder = new TextDecoder();
		let text = '';
		const nextEvent = async (ms: number) => {
			const deadline = Date.now() + ms;
			while (!/event: flags/.test(text) && Date.now() < deadline) {
				const chunk = await Promise.race([
					reader.read(),
					new Promise<null>((r) => setTimeout(() => r(null), deadline - Date.now()))
				]);
				if (!chunk || chunk.done) break;
				text += decoder.decode(chunk.value);
			}
			return /event: flags/.test(text);
		};
		await new Promise((r) => setTimeout(r, 500)); // the stream's first fingerprint is taken
		const saved = await call(a, coordinatorA, 'POST', `/dosing-sessions/${id}/vitals/batch`, {
			readings: [reading(30, 9 * 60, 176)]
		});
		expect(saved.status).toBe(201);
		expect(await nextEvent(3_000)).toBe(true);
		abort.abort();
		const board = await fetch(`${b.base}/review`, { headers: { cookie: investigator } });
		expect(await board.text()).toMatch(/Systolic 176 mmHg/);
	});

	it('the safety clock on both instances raises one late-reading flag', async () => {
		// The 30-minute reading falls 15 minutes late (the demo protocol's limit) 8 s from now.
		const id = await session(b, coordinatorB, 45 * 60 - 8);
		await call(b, coordinatorB, 'POST', `/dosing-sessions/${id}/vitals/batch`, {
			readings: [reading(-30, 70 * 60, 121)]
		});
		const late = () =>
			db.db
				.selectFrom('flag')
				.select(['id', 'rule_id'])
				.where('dosing_session_id', '=', id)
				.where('rule_id', 'like', '%missed%')
				// The 30-minute reading (timepoint 2); the pre-dose one may be flagged before it is saved.
				.where('condition_key', 'like', '%|tp:2')
				.execute();
		expect(await late()).toEqual([]);
		const deadline = Date.now() + 30_000;
		while ((await late()).length === 0 && Date.now() < deadline) {
			await new Promise((r) => setTimeout(r, 250));
		}
		await new Promise((r) => setTimeout(r, 3_000)); // several more ticks on both instances
		const flags = await late();
		expect(flags).toHaveLength(1);
		const raised = await db.db
			.selectFrom('audit_event')
			.select('seq')
			.where('entity_type', '=', 'flag')
			.where('entity_id', '=', String(flags[0]!.id))
			.where(sql.ref<string>('action'), 'like', '%raise%')
			.execute();
		expect(raised).toHaveLength(1);
	}, 60_000);

	it('concurrent writes through both keep one linear audit chain', async () => {
		const before = await db.db.selectFrom('audit_head').select('seq').executeTakeFirstOrThrow();
		const ids = await Promise.all([
			session(a, coordinatorA, 20 * 60),
			session(b, coordinatorB, 20 * 60)
		]);
		const writes = Array.from({ length: 16 }, (_, n) => {
			const [i, cookie] = n % 2 === 0 ? [a, coordinatorA] : [b, coordinatorB];
			return call(i, cookie, 'POST', `/dosing-sessions/${ids[n % 2]}/vitals`, {
				timepoint: 'unscheduled',
				takenAt: secondsAgo(600 - n * 10),
				systolic: 120 + n,
				diastolic: 80,
				heartRate: 70,
				confirmed: true
			});
		});
		const results = await Promise.all(writes);
		expect(results.map((r) => r.status)).toEqual(Array(16).fill(201));
		const report = await verifyAuditChain(systemContext(db.db, 'test'), { key: null });
		expect(report).toMatchObject({ ok: true, problem: null });
		expect(report.head!.seq).toBeGreaterThan(before.seq + 16);
	}, 60_000);
});
