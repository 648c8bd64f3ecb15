// The bench's synthetic trial (scripts/bench/build-trial.ts) at the smoke tier: templates written
// through the services, then copied in bulk. The result must be a Vigil database a server accepts
// as it would one the services wrote: `audit verify` passes with the bench's key; every copy's
// records raise, under the domain's own safety rules, what its template's raise, and its stored
// flags are its template's, naming the copy's records (so a correction re-evaluated later finds
// the flag already open); and the dashboards' summaries hold what a recomputation from the copied
// history gives. SQLite only (the bench builds a SQLite file; `--db postgres` copies it).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTrial, TIERS } from '../../scripts/bench/build-trial';
import { reuseTrial } from '../../scripts/bench/reuse-trial';
import { verifyPassword } from '../../src/lib/server/auth/password';
import type { FlagCandidate } from '../../src/lib/domain/safety';
import { useHeadSigner } from '../../src/lib/server/audit/head-signature';
import { loadOrCreateSigningKey } from '../../src/lib/server/audit/signing-key';
import { openDatabase, type SqliteDatabase } from '../../src/lib/server/db';
import * as dryRunRepo from '../../src/lib/server/repositories/protocol-versions';
import { systemContext } from '../../src/lib/server/runtime/context';
import { verifyAuditChain } from '../../src/lib/server/services/audit/audit';
import { rebuildSummaries } from '../../src/lib/server/services/dashboards/summaries';
import { flagsUnder } from '../../src/lib/server/services/protocol/protocol-dry-run';
import { activeProtocol } from '../../src/lib/server/services/protocol/studies';

const onPostgres = process.env.VIGIL_TEST_DB === 'postgres';
const tier = TIERS.smoke;
const COPIED = [
	'participant',
	'visit',
	'dosing_session',
	'vital_reading',
	'adverse_event',
	'scale_administration',
	'flag'
] as const;
type Copied = (typeof COPIED)[number];

let dir: string;
let opened: SqliteDatabase;

describe.skipIf(onPostgres)('the bench trial at the smoke tier (SQLite)', () => {
	beforeAll(async () => {
		dir = mkdtempSync(join(tmpdir(), 'vigil-build-trial-'));
		await buildTrial(join(dir, 'vigil.db'), tier, 'Bench-Smoke-Pass-1!', () => {});
		useHeadSigner(null);
		opened = openDatabase(join(dir, 'vigil.db'));
	}, 300_000);
	afterAll(async () => {
		await opened?.db.destroy();
		rmSync(dir, { recursive: true, force: true });
	});

	const count = (sql: string) => (opened.sqlite.prepare(sql).get() as { n: number }).n;

	it('has the tier’s participants over its sites, in WAL as the server opens it', () => {
		expect(count('select count(*) n from participant')).toBe(tier.participants);
		expect(count('select count(distinct site_id) n from participant')).toBe(tier.sites);
		expect(opened.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
		expect(opened.sqlite.pragma('foreign_key_check')).toEqual([]);
	});

	it('passes audit verify with the bench’s key: chain, signed head and every record', async () => {
		const report = await verifyAuditChain(systemContext(opened.db, 'test'), {
			key: loadOrCreateSigningKey(join(dir, 'signing.key')),
			witnessFile: null
		});
		expect(report.problem).toBeNull();
		expect(report.data).toEqual([]);
		expect(report.ok).toBe(true);
		expect(report.rows).toBe(count('select count(*) n from audit_event'));
	});

	it('gives each copy the flags the domain raises on its records, as its template’s', async () => {
		const { db, sqlite } = opened;
		// Copy k of template row x has id x + k × (the templates' largest id in its table).
		const max = {} as Record<Copied, number>;
		for (const table of COPIED) {
			max[table] = count(
				table === 'participant'
					? `select max(id) n from participant where id <= ${tier.templates}`
					: `select max(id) n from ${table} where participant_id <= ${tier.templates}`
			);
		}
		const copyOf = (participantId: number) => Math.floor((participantId - 1) / max.participant);
		const back = (table: Copied, id: number, k: number) => id - k * max[table];
		const sourceBack = (source: string, k: number) =>
			source.replace(/([a-z_]+):(\d+)/g, (whole, table: string, id: string) =>
				table in max ? `${table}:${back(table as Copied, Number(id), k)}` : whole
			);

		// What the safety rules raise on every record (the protocol dry run's evaluation).
		const studyId = (sqlite.prepare('select id from study').get() as { id: number }).id;
		const { protocol } = await activeProtocol(db, studyId);
		const since = '1970-01-01T00:00:00.000Z';
		const until = new Date();
		const end = until.toISOString();
		const [sessions, readings, administrations, doses, adverseEvents] = await Promise.all([
			dryRunRepo.listSessionsInWindow(db, studyId, since, end),
			dryRunRepo.listReadingsInWindow(db, studyId, since, end),
			dryRunRepo.listAdministrationsUntil(db, studyId, end),
			dryRunRepo.firstDoseTimes(db, studyId),
			dryRunRepo.listAdverseEventsInWindow(db, studyId, since, end)
		]);
		const candidates = flagsUnder(
			{
				since,
				until,
				sessions,
				readings,
				administrations,
				firstDoseAt: new Map(doses.map((d) => [d.participant_id, d.t0])),
				adverseEvents
			},
			protocol
		);
		const participantOf = new Map<string, number>();
		for (const s of sessions) participantOf.set(`dosing_session:${s.id}`, s.participant_id);
		for (const r of readings) participantOf.set(`vital_reading:${r.id}`, r.participant_id);
		for (const a of administrations) {
			participantOf.set(`scale_administration:${a.id}`, a.participant_id);
		}
		for (const e of adverseEvents) participantOf.set(`adverse_event:${e.id}`, e.participant_id);

		// Each candidate and stored flag as its template's would read, grouped by copy.
		const raised = new Map<number, string[]>();
		const stored = new Map<number, string[]>();
		const add = (into: Map<number, string[]>, k: number, line: string) =>
			into.set(k, [...(into.get(k) ?? []), line]);
		for (const c of candidates as FlagCandidate[]) {
			const participant = participantOf.get(`${c.sourceType}:${c.sourceId}`)!;
			const k = copyOf(participant);
			add(
				raised,
				k,
				[
					back('participant', participant, k),
					c.ruleId,
					c.level,
					sourceBack(`${c.sourceType}:${c.sourceId}`, k),
					sourceBack(c.key, k),
					JSON.stringify(c.values),
					c.message
				].join(' ')
			);
		}
		const flags = sqlite.prepare('select * from flag order by id').all() as Array<
			Record<string, string | number | null>
		>;
		for (const f of flags) {
			const k = copyOf(Number(f.participant_id));
			add(
				stored,
				k,
				[
					back('participant', Number(f.participant_id), k),
					f.rule_id,
					f.level,
					sourceBack(`${f.source_type}:${f.source_id}`, k),
					f.dosing_session_id === null
						? null
						: back('dosing_session', Number(f.dosing_session_id), k),
					sourceBack(String(f.condition_key), k),
					f.trigger_values,
					f.message,
					f.status,
					f.raised_at,
					f.closed_at,
					f.outcome
				].join(' ')
			);
		}
		const copies = Math.ceil(tier.participants / tier.templates);
		expect([...raised.keys()].sort()).toEqual([...Array(copies).keys()]);
		expect(raised.get(0)!.length).toBeGreaterThan(0);
		expect(stored.get(0)!.length).toBeGreaterThan(0);
		for (let k = 1; k < copies; k++) {
			expect(raised.get(k)!.sort(), `copy ${k}: the rules' verdict`).toEqual(raised.get(0)!.sort());
			expect(stored.get(k)!.sort(), `copy ${k}: its flags`).toEqual(stored.get(0)!.sort());
		}
		// A stored flag names a record of its own participant, in its key too.
		const foreign = sqlite
			.prepare(
				`select f.id from flag f where instr(f.condition_key || '|', f.source_type || ':' || f.source_id || '|') = 0`
			)
			.all();
		expect(foreign).toEqual([]);
	});

	it('holds the dashboards’ summaries to a recomputation from the copied history', async () => {
		const summaries = [
			'scale_visit_total',
			'session_peak',
			'session_breach',
			'ae_participant_term',
			'ae_site_key',
			'cohort_cell',
			'session_peak_cell',
			'session_breach_cell',
			'relapse_outcome',
			'sdv_record_status',
			'sdv_site_cell'
		];
		const snapshot = () =>
			Object.fromEntries(
				summaries.map((table) => {
					const columns = (
						opened.sqlite.pragma(`table_info(${table})`) as Array<{ name: string }>
					).map((c) => c.name);
					const sql = `select * from ${table} order by ${columns.join(', ')}`;
					return [table, opened.sqlite.prepare(sql).all()];
				})
			);
		const built = snapshot();
		expect((built.cohort_cell as unknown[]).length).toBeGreaterThan(0);
		expect((built.session_peak as unknown[]).length).toBeGreaterThan(0);
		expect((built.sdv_record_status as unknown[]).length).toBeGreaterThan(0);
		expect((built.sdv_site_cell as unknown[]).length).toBeGreaterThan(0);
		await rebuildSummaries(opened.db);
		expect(snapshot()).toEqual(built);
	});

	it('reused by `--from`, gives the demo users the run’s password through the trail: verify still passes', async () => {
		const copy = join(dir, 'reused', 'vigil.db');
		mkdirSync(dirname(copy));
		await reuseTrial(join(dir, 'vigil.db'), copy, 'Bench-Reused-Pass-2!', () => {});
		const reused = openDatabase(copy);
		try {
			const coordinator = reused.sqlite
				.prepare(`select password_hash h from "user" where email = 'coordinator@demo.vigil.test'`)
				.get() as { h: string };
			expect(await verifyPassword(coordinator.h, 'Bench-Reused-Pass-2!')).toBe(true);
			expect(await verifyPassword(coordinator.h, 'Bench-Smoke-Pass-1!')).toBe(false);
			const report = await verifyAuditChain(systemContext(reused.db, 'test'), {
				key: null,
				witnessFile: null
			});
			expect(report.data).toEqual([]);
			expect(report.ok).toBe(true);
		} finally {
			await reused.db.destroy();
		}
	});
});
