// The demo data generator on real, migrated in-memory databases seeded with the demo study:
// determinism, counts, realism bounds, the audit chain, and refusals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPlausibility } from '../../src/lib/domain/vitals';
import { numericScaleIds, scoreAdministration } from '../../src/lib/domain/scales';
import { demoCommand } from '../../src/lib/server/cli/demo-command';
import { systemContext } from '../../src/lib/server/runtime/context';
import { openDatabase, type SqliteDatabase } from '../../src/lib/server/db';
import { migrateToLatest } from '../../src/lib/server/db/migrate';
import { DemoUnavailableError, generateDemoData } from '../../src/lib/server/demo/generate';
import { Random } from '../../src/lib/server/demo/random';
import { numericAnswers } from '../../src/lib/server/demo/scale-items';
import { seedDemo } from '../../src/lib/server/demo/seed';
import { ValidationError } from '../../src/lib/server/runtime/errors';
import { verifyAuditChain } from '../../src/lib/server/services/audit/audit';

const TODAY = new Date('2026-11-20T12:00:00Z');
const SEED = 11;

/** The generator's checks read with SQLite's SQL; `db copy` moves a demo study to PostgreSQL. */
type Opened = SqliteDatabase;

async function demoDatabase(seeded = true): Promise<Opened> {
	const opened = openDatabase(':memory:');
	await migrateToLatest(opened.db);
	if (seeded) await seedDemo(opened.db, 'a-long-demo-password');
	return opened;
}

const rows = <T>(o: Opened, sql: string): T[] => o.sqlite.prepare(sql).all() as T[];

/** The clinical tables and the coordinators' audit entries, without ids and hashes. */
function clinicalSnapshot(o: Opened): unknown {
	const strip = (r: Record<string, unknown>) =>
		Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'id' && !k.includes('hash')));
	const tables = [
		'participant',
		'visit',
		'dosing_session',
		'vital_reading',
		'adverse_event',
		'scale_administration',
		'flag'
	];
	return {
		...Object.fromEntries(
			tables.map((t) => [
				t,
				rows<Record<string, unknown>>(o, `select * from ${t} order by id`).map(strip)
			])
		),
		audit: rows(
			o,
			"select at, action, entity_type, new_values from audit_event where actor_role = 'coordinator' order by seq"
		)
	};
}

describe('demo data at N = 40', () => {
	let o: Opened;
	let progress: Array<[number, number]>;

	beforeAll(async () => {
		o = await demoDatabase();
		progress = [];
		await generateDemoData(o.db, {
			participants: 40,
			seed: SEED,
			today: TODAY,
			onProgress: (done, total) => progress.push([done, total])
		});
	}, 240_000);
	afterAll(() => o.db.destroy());

	it('enrols 40 participants over both sites with site-numbered subject codes', () => {
		const ps = rows<{
			subject_code: string;
			birth_year: number;
			dose_group: string;
			status: string;
		}>(o, 'select * from participant order by id');
		expect(ps).toHaveLength(40);
		expect(new Set(ps.map((p) => p.subject_code.slice(0, 2)))).toEqual(new Set(['01', '02']));
		expect(ps.every((p) => /^0[12]-\d{3}$/.test(p.subject_code))).toBe(true);
		expect(ps.every((p) => p.birth_year >= 2024 - 70 && p.birth_year <= 2026 - 21)).toBe(true);
		expect(new Set(ps.map((p) => p.dose_group))).toContain('120 mg');
		expect(ps.some((p) => p.status === 'completed')).toBe(true);
		expect(progress.at(-1)).toEqual([40, 40]);
	});

	it('records past visits, leaves future ones scheduled, and misses a few with a reason', () => {
		const byStatus = rows<{ status: string; n: number; reasons: number }>(
			o,
			'select status, count(*) n, sum(missed_reason is not null) reasons from visit group by status'
		);
		const of = (s: string) => byStatus.find((r) => r.status === s);
		expect(of('completed')!.n).toBeGreaterThan(300);
		expect(of('scheduled')!.n).toBeGreaterThan(0);
		expect(of('missed')!.reasons).toBe(of('missed')!.n);
		const outside = rows(
			o,
			`select id from visit where status = 'completed'
			 and (actual_on < window_start or actual_on > window_end)`
		);
		expect(outside).toEqual([]);
		const future = rows<{ n: number }>(
			o,
			"select count(*) n from visit where status <> 'scheduled' and actual_on > '2026-11-20'"
		);
		expect(future[0]!.n).toBe(0);
		const overdue = rows<{ n: number }>(
			o,
			`select count(*) n from visit v join participant p on p.id = v.participant_id
			 where v.status = 'scheduled' and v.window_end < '2026-11-20' and p.status = 'enrolled'`
		);
		expect(overdue[0]!.n).toBeGreaterThan(0);
	});

	it('gives every past dosing visit a session with every scheduled reading', () => {
		const undosed = rows(
			o,
			`select v.id from visit v join participant p on p.id = v.participant_id
			 where v.kind = 'dosing' and p.status <> 'withdrawn' and v.window_end < '2026-11-13'
			 and not exists (select 1 from dosing_session s where s.visit_id = v.id)`
		);
		expect(undosed).toEqual([]);
		const sessions = rows<{ id: number; labels: string; ended_at: string | null }>(
			o,
			`select s.id, s.ended_at, group_concat(r.timepoint_label, '|') labels
			 from dosing_session s join vital_reading r on r.dosing_session_id = s.id group by s.id`
		);
		expect(sessions.length).toBeGreaterThan(40);
		for (const s of sessions.filter((x) => x.ended_at)) {
			expect(new Set(s.labels.split('|').filter((l) => l !== 'UNSCHEDULED')).size).toBe(11);
		}
	});

	it('keeps every vital sign plausible, with peaks that rise and settle', () => {
		const readings = rows<{
			systolic: number;
			diastolic: number;
			heart_rate: number;
			temperature_c: number | null;
		}>(o, 'select * from vital_reading');
		for (const r of readings) {
			const result = checkPlausibility({
				systolic: r.systolic,
				diastolic: r.diastolic,
				heartRate: r.heart_rate,
				temperature: r.temperature_c
			});
			expect(result.ok).toBe(true);
		}
		const mean = (minutes: number) =>
			rows<{ m: number }>(
				o,
				`select avg(systolic) m from vital_reading where timepoint_minutes = ${minutes}`
			)[0]!.m;
		expect(mean(90)).toBeGreaterThan(mean(-30) + 12);
		expect(mean(420)).toBeLessThan(mean(90) - 10);
		const high = readings.filter((r) => r.systolic >= 160).length;
		expect(high).toBeGreaterThan(0);
		expect(high / readings.length).toBeLessThan(0.1);
	});

	it('mostly gives the supplemental dose, and says why when it is not given', () => {
		const s = rows<{ given: number; notGiven: number; noReason: number }>(
			o,
			`select sum(supplemental_at is not null) given,
			 sum(supplemental_not_given_reason is not null) notGiven,
			 sum(supplemental_at is null and supplemental_not_given_reason is null and ended_at is not null) noReason
			 from dosing_session`
		)[0]!;
		expect(s.given).toBeGreaterThan(s.notGiven);
		expect(s.notGiven).toBeGreaterThan(0);
		expect(s.noReason).toBe(0);
	});

	it('records common AEs, mostly mild to moderate, and at least one serious one', () => {
		const aes = rows<{ severity: string; serious: number; coded_term_code: string }>(
			o,
			'select * from adverse_event'
		);
		expect(aes.length).toBeGreaterThan(40);
		const mild = aes.filter((a) => a.severity === 'grade:1' || a.severity === 'grade:2');
		expect(mild.length / aes.length).toBeGreaterThan(0.8);
		expect(aes.some((a) => a.serious === 1)).toBe(true);
	});

	it('shows MADRS falling after dosing for most, but not for everyone', () => {
		const madrs = rows<{ participant_id: number; code: string; kind: string; total: number }>(
			o,
			`select a.participant_id, v.visit_code code, v.kind, a.total from scale_administration a
			 join visit v on v.id = a.visit_id where a.instrument = 'MADRS' order by a.administered_at`
		);
		const baseline = new Map(
			madrs.filter((m) => m.code === 'BL').map((m) => [m.participant_id, m.total])
		);
		const last = new Map(
			madrs.filter((m) => m.kind === 'follow-up').map((m) => [m.participant_id, m.total])
		);
		const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
		expect(avg([...last.values()])).toBeLessThan(avg([...baseline.values()]) - 5);
		const nonResponders = [...last].filter(([id, total]) => total > 0.5 * baseline.get(id)!);
		expect(nonResponders.length).toBeGreaterThan(0);
		expect(madrs.every((m) => m.total >= 0 && m.total <= 60)).toBe(true);
	});

	it('verifies the audit chain afterwards', async () => {
		const report = await verifyAuditChain(systemContext(o.db, 'test'));
		expect(report.ok).toBe(true);
		expect(report.rows).toBeGreaterThan(3000);
	});

	it('refuses to fill the demo study twice', async () => {
		await expect(generateDemoData(o.db, { participants: 1, seed: 1 })).rejects.toThrow(
			DemoUnavailableError
		);
	});
});

describe('demo data generator', () => {
	it('gives the same records for the same seed, N and today (N = 20)', async () => {
		const snapshots = [];
		for (let i = 0; i < 2; i++) {
			const o = await demoDatabase();
			await generateDemoData(o.db, { participants: 20, seed: 5, today: TODAY });
			snapshots.push(clinicalSnapshot(o));
			await o.db.destroy();
		}
		expect(snapshots[1]).toEqual(snapshots[0]);
	}, 120_000);

	it('refuses a database without the demo study, as VIGIL_DEMO=0 makes', async () => {
		const o = await demoDatabase(false);
		await expect(generateDemoData(o.db, { participants: 2, seed: 1 })).rejects.toThrow(
			/VIGIL_DEMO=0/
		);
		await o.db.destroy();
	});

	it('writes item answers whose score is the intended total', () => {
		const rng = Random.of('items');
		for (const id of numericScaleIds) {
			for (let total = 2; total <= 24; total += 2) {
				const answers = numericAnswers(rng, id, total, 1);
				expect(scoreAdministration(id, answers).total).toBe(total);
			}
		}
	});
});

describe('demo CLI command', () => {
	async function run(values: Record<string, string>, opened?: Opened) {
		const out: string[] = [];
		const err: string[] = [];
		const o = opened ?? (await demoDatabase());
		const io = {
			out: (l: string) => out.push(l),
			err: (l: string) => err.push(l),
			readStdin: () => Promise.resolve(''),
			open: () => Promise.resolve(o)
		};
		const code = await demoCommand.run(io, values, []).finally(() => o.db.destroy());
		return { code, out };
	}

	it('prints progress and a summary', async () => {
		const { code, out } = await run({ participants: '3', seed: '42', today: '2026-11-20' });
		expect(code).toBe(0);
		expect(out.some((l) => l.includes('100 %'))).toBe(true);
		expect(out.some((l) => /3 participants/.test(l))).toBe(true);
		expect(out.at(-1)).toMatch(/reviewed and closed: \d+/);
	}, 60_000);

	it('refuses a bad N or seed with field messages', async () => {
		await expect(run({ participants: '0', seed: 'x' })).rejects.toThrow(ValidationError);
		await expect(run({ participants: '100001', seed: '1' })).rejects.toThrow(ValidationError);
	});

	it('refuses a database without the demo study', async () => {
		const bare = await demoDatabase(false);
		await expect(run({ participants: '5', seed: '1' }, bare)).rejects.toThrow(DemoUnavailableError);
	});
});

describe('the demo investigators review past flags', () => {
	it('flags older than two days are actioned and closed by the site investigator; recent ones stay open', async () => {
		const { openDatabase } = await import('../../src/lib/server/db');
		const { migrateToLatest } = await import('../../src/lib/server/db/migrate');
		const { seedDemo } = await import('../../src/lib/server/demo/seed');
		const { generateDemoData } = await import('../../src/lib/server/demo/generate');
		const { reviewPastDemoFlags } = await import('../../src/lib/server/demo/review');
		const { db } = openDatabase(':memory:');
		await migrateToLatest(db);
		const today = new Date('2026-11-20T12:00:00Z');
		await seedDemo(db, 'a-long-demo-password', new Date('2025-05-01T08:00:00Z'));
		await generateDemoData(db, { participants: 8, seed: 5, today });
		const closed = await reviewPastDemoFlags(db, today);
		const flags = await db
			.selectFrom('flag')
			.select(['status', 'raised_at', 'closed_by', 'site_id'])
			.execute();
		expect(closed).toBeGreaterThan(0);
		const cutoff = new Date(today.getTime() - 2 * 86_400_000).toISOString();
		for (const f of flags) {
			expect(f.status === 'closed').toBe(f.raised_at < cutoff);
		}
		const closers = await db
			.selectFrom('flag')
			.innerJoin('user', 'user.id', 'flag.closed_by')
			.select('user.role')
			.distinct()
			.execute();
		expect(closers.map((c) => c.role)).toEqual(['investigator']);
		const { reportPastSeriousEvents } = await import('../../src/lib/server/demo/review');
		const { recordAdverseEvent } =
			await import('../../src/lib/server/services/capture/adverse-events');
		// Two serious events of our own: one aware three days ago (report due), one two hours ago.
		const coordinator = await db
			.selectFrom('user')
			.selectAll()
			.where('email', '=', 'coordinator@demo.vigil.test')
			.executeTakeFirstOrThrow();
		const site = await db
			.selectFrom('site')
			.select('id')
			.where('code', '=', '01')
			.executeTakeFirstOrThrow();
		const participant = await db
			.selectFrom('participant')
			.select('id')
			.where('site_id', '=', site.id)
			.where('status', '=', 'enrolled')
			.executeTakeFirstOrThrow();
		const ctx = {
			db,
			requestId: null,
			now: () => today,
			actor: {
				kind: 'user' as const,
				id: coordinator.id,
				email: coordinator.email,
				name: coordinator.name,
				role: 'coordinator' as const,
				siteIds: [site.id]
			}
		};
		const serious = (aware: string) => ({
			verbatimTerm: 'admitted overnight',
			onsetAt: aware,
			awareAt: aware,
			severity: '3',
			criteria: {
				death: 'no',
				lifeThreatening: 'no',
				hospitalisation: 'yes',
				disability: 'no',
				congenitalAnomaly: 'no',
				importantMedicalEvent: 'no'
			},
			relatedness: 'possible',
			expectedness: 'expected',
			actionTaken: 'dose-not-changed',
			outcome: 'recovering'
		});
		await recordAdverseEvent(ctx, participant.id, serious('2026-11-17T10:00:00Z'));
		await recordAdverseEvent(ctx, participant.id, serious('2026-11-20T10:00:00Z'));
		await reportPastSeriousEvents(db, today);
		const open = await db
			.selectFrom('adverse_event')
			.select(['aware_at', 'sae_reported_at'])
			.where('serious', '=', 1)
			.execute();
		expect(open.length).toBeGreaterThan(0);
		for (const e of open) {
			const due = Date.parse(e.aware_at) + 24 * 3_600_000;
			expect(e.sae_reported_at !== null).toBe(due <= today.getTime());
			if (e.sae_reported_at) expect(Date.parse(e.sae_reported_at)).toBeLessThan(due);
		}
		await db.destroy();
	}, 240_000);
});
