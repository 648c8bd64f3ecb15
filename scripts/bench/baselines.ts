// The in-process measures, each beside a raw better-sqlite3 baseline taken in the same run on the
// same database file: a reading through the service against the raw insert of the row and its
// audit row; batches of 500 against batches of 10; the VS and ODM exports against raw scans; audit
// verify against a plain recomputation of the chain.
import SQLite from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chainHash, GENESIS_HASH, type ChainRow } from '../../src/lib/server/audit/chain';
import { headSigner, useHeadSigner } from '../../src/lib/server/audit/head-signature';
import { openDatabase, type Db } from '../../src/lib/server/db';
import { keepCheckpointed } from '../../src/lib/server/db/wal';
import { workerReads } from '../../src/lib/server/reads/pool';
import { systemContext, type ServiceContext } from '../../src/lib/server/runtime/context';
import { verifyAuditChain } from '../../src/lib/server/services/audit/audit';
import { exportDomainCsv, exportOdm } from '../../src/lib/server/services/audit/exports';
import { startDosingSession } from '../../src/lib/server/services/capture/dosing-sessions';
import { createParticipant } from '../../src/lib/server/services/capture/participants';
import { listVisits } from '../../src/lib/server/services/capture/visits';
import { recordVitals, recordVitalsBatch } from '../../src/lib/server/services/capture/vitals';
import { buildTrial, TIERS } from './build-trial';

export interface Ratio {
	measured: number;
	baseline: number;
	/** measured ÷ baseline as rates (higher is better), or per-item cost ratio for batches. */
	ratio: number;
	unit: string;
	/**
	 * The writes only: CPU time per reading (µs, this process), service and raw, and raw ÷ service.
	 * Wall time on a shared machine mostly measures the others' load and the disk's queue (each
	 * commit waits for its fsync); CPU time is what the service path itself costs beside the raw.
	 */
	cpu?: { measured: number; baseline: number; ratio: number };
}

/** CPU time (user + system) of this process while `work` runs, in µs. */
async function cpuTime(work: () => unknown): Promise<number> {
	const before = process.cpuUsage();
	await work();
	const used = process.cpuUsage(before);
	return used.user + used.system;
}

const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;

let subject = 0;

/** New enrolled participants at site 01 with a dosing session started an hour ago. */
export async function newSessions(ctx: ServiceContext, n: number): Promise<number[]> {
	const site = await ctx.db
		.selectFrom('site')
		.select('id')
		.where('code', '=', '01')
		.executeTakeFirstOrThrow();
	const study = await ctx.db.selectFrom('study').select('id').executeTakeFirstOrThrow();
	// A trial kept from an earlier run (--keep, then --from) holds that run's participants already.
	const inUse = new Set(
		(await ctx.db.selectFrom('participant').select('subject_code').execute()).map(
			(r) => r.subject_code
		)
	);
	const ids: number[] = [];
	for (let i = 0; i < n; i++) {
		do subject += 1;
		while (inUse.has(`01-${9999 - subject}`));
		const p = await createParticipant(
			ctx,
			{ studyId: study.id, siteId: site.id },
			{
				subjectCode: `01-${9999 - subject}`,
				sex: 'F',
				birthYear: 1980,
				doseGroup: '120 mg',
				status: 'enrolled',
				enrolledOn: new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10)
			}
		);
		const dosing = (await listVisits(ctx, p.id)).find((v) => v.kind === 'dosing')!;
		const s = await startDosingSession(ctx, p.id, {
			visitId: dosing.id,
			t0: new Date(Date.now() - 3_600_000).toISOString(),
			initialDoseMg: 120,
			// Dosed the day it is made: outside the visit's window, so a deviation with its reason.
			deviationReason: 'bench set-up'
		});
		ids.push(s.id);
	}
	return ids;
}

export const recheck = (systolic = 120, at = new Date()) => ({
	timepoint: 'unscheduled',
	takenAt: at.toISOString(),
	systolic,
	diastolic: 78,
	heartRate: 70
});

/**
 * Readings per second through recordVitals, and raw inserts of a row and an audit row. The
 * readings go round WRITE_SESSIONS (20) sessions, so each ends near a dosing day's schedule (about 15
 * readings): a save re-checks its session's readings against the safety rules, and one session
 * holding hundreds of rechecks would measure a day no site has.
 *
 * The service path is warmed first (warmWritePath): a server saves readings for hours, and its
 * first few thousand saves also pay for V8 compiling the path (Kysely, Zod, the rules, the audit
 * chain) on four compiler threads beside the request thread. Measured cold, the 300 timed saves
 * spent about a quarter of their CPU there; after 1,000 saves the compiler still took 200-330 µs
 * a save, after 3,000 about 70 (write-profile.ts, site tier, 2026-12-07, h13w). The raw loop's
 * few lines are compiled within RAW_WARM transactions.
 */
const WRITE_SESSIONS = 20;
export const WARM_SAVES = 3000;
const RAW_WARM = 300;

/**
 * `saves` untimed saves through recordVitals (15 a session) on a throwaway smoke-tier trial, so
 * the measured trial gets no rows from them (its exports and pages are measured after). The
 * process's head signer is put back afterwards.
 */
export async function warmWritePath(saves: number): Promise<void> {
	if (saves <= 0) return;
	const signer = headSigner();
	const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-warm-'));
	try {
		const file = join(dir, 'vigil.db');
		await buildTrial(file, TIERS.smoke, 'bench-Warm-1!', () => {});
		const { db, wal } = openDatabase(file, { syncAfterCommit: true });
		try {
			const ctx: ServiceContext = {
				...systemContext(db as Db, 'bench'),
				limits: { maxBatchReadings: 500, maxUnscheduledReadings: 1_000_000 }
			};
			const sessions = await newSessions(ctx, Math.ceil(saves / 15));
			for (let i = 0; i < saves; i++) {
				const into = sessions[i % sessions.length]!;
				await recordVitals(ctx, into, recheck(120, new Date(Date.now() - 1000)));
			}
		} finally {
			await wal?.close();
			await db.destroy();
		}
	} finally {
		useHeadSigner(signer);
		rmSync(dir, { recursive: true, force: true });
	}
}

export async function writeRates(
	ctx: ServiceContext,
	sqlite: SQLite.Database,
	n: number,
	warm = WARM_SAVES
): Promise<Ratio> {
	await warmWritePath(warm);
	const sessions = await newSessions(ctx, WRITE_SESSIONS);
	const session = sessions[0]!;
	let t = performance.now();
	const serviceCpu = await cpuTime(async () => {
		for (let i = 0; i < n; i++) {
			const into = sessions[i % WRITE_SESSIONS]!;
			await recordVitals(ctx, into, recheck(120, new Date(Date.now() - 1000)));
		}
	});
	const service = n / ((performance.now() - t) / 1000);
	const row = sqlite
		.prepare('select * from vital_reading where dosing_session_id = ? limit 1')
		.get(session) as Record<string, unknown>;
	const { id: _id, ...values } = row;
	const cols = Object.keys(values);
	const insertReading = sqlite.prepare(
		`insert into vital_reading (${cols.join(', ')}) values (${cols.map((c) => `@${c}`).join(', ')})`
	);
	const head = sqlite.prepare('select seq, hash from audit_head where id = 1');
	const insertAudit = sqlite.prepare(
		'insert into audit_event (seq, at, actor_id, actor_label, actor_role, site_id, action, entity_type, entity_id, old_values, new_values, reason, request_id, prev_hash, hash) values (@seq, @at, @actor_id, @actor_label, @actor_role, @site_id, @action, @entity_type, @entity_id, @old_values, @new_values, @reason, @request_id, @prev_hash, @hash)'
	);
	const setHead = sqlite.prepare('update audit_head set seq = ?, hash = ? where id = 1');
	const once = sqlite.transaction(() => {
		const r = insertReading.run(values);
		const h = head.get() as { seq: number; hash: string };
		const fields = {
			seq: h.seq + 1,
			at: new Date().toISOString(),
			actor_id: null,
			actor_label: 'bench',
			actor_role: 'system',
			site_id: values.site_id as number,
			action: 'vitals.recorded',
			entity_type: 'vital_reading',
			entity_id: String(r.lastInsertRowid),
			old_values: null,
			new_values: JSON.stringify(values),
			reason: null,
			request_id: null,
			prev_hash: h.hash
		};
		const hash = chainHash(fields);
		insertAudit.run({ ...fields, hash });
		setHead.run(fields.seq, hash);
	});
	// The raw baseline syncs inside COMMIT (FULL), as plain better-sqlite3 would be made durable;
	// the service path, opened as the server opens it, syncs the WAL after COMMIT (db/wal.ts).
	// Both answer each write only once it is on disk.
	const sync = sqlite.pragma('synchronous', { simple: true });
	const autocheckpoint = sqlite.pragma('wal_autocheckpoint', { simple: true });
	sqlite.pragma('synchronous = FULL');
	sqlite.pragma('wal_autocheckpoint = 1000');
	let rawCpu: number;
	try {
		for (let i = 0; i < Math.min(warm, RAW_WARM); i++) once.immediate();
		t = performance.now();
		rawCpu = await cpuTime(() => {
			for (let i = 0; i < n; i++) once.immediate();
		});
	} finally {
		sqlite.pragma(`synchronous = ${sync}`);
		sqlite.pragma(`wal_autocheckpoint = ${autocheckpoint}`);
	}
	const raw = n / ((performance.now() - t) / 1000);
	return {
		measured: round(service, 0),
		baseline: round(raw, 0),
		ratio: round(service / raw),
		unit: 'readings/s',
		cpu: {
			measured: round(serviceCpu / n, 0),
			baseline: round(rawCpu / n, 0),
			ratio: round(rawCpu / serviceCpu)
		}
	};
}

/** Per-reading cost of a batch of 500 against batches of 10. */
async function batchCost(ctx: ServiceContext): Promise<Ratio> {
	const sessions = await newSessions(ctx, 2);
	const batch = (n: number, from: number) =>
		Array.from({ length: n }, (_, i) =>
			recheck(120, new Date(Date.now() - 3_000_000 + (from + i) * 1000))
		);
	let t = performance.now();
	for (let b = 0; b < 20; b++) {
		await recordVitalsBatch(ctx, sessions[0]!, { readings: batch(10, b * 10) });
	}
	const small = (performance.now() - t) / 200;
	t = performance.now();
	await recordVitalsBatch(ctx, sessions[1]!, { readings: batch(500, 0) });
	const large = (performance.now() - t) / 500;
	return {
		measured: round(large),
		baseline: round(small),
		ratio: round(large / small),
		unit: 'ms per reading (500 vs 10)'
	};
}

/** Exports are timed for at most this long (the trial tier's would take many minutes). */
const EXPORT_CAP_MS = 60_000;

/**
 * Reads a stream for at most EXPORT_CAP_MS; the times `marker` occurred, bytes, seconds. The
 * marker is counted in the bytes as they come (no decoding into text), so the reader costs little
 * beside the export it measures.
 */
async function drain(stream: ReadableStream<Uint8Array>, marker: string, onChunk = () => {}) {
	const t = performance.now();
	const reader = stream.getReader();
	const needle = Buffer.from(marker, 'utf8');
	const none = Buffer.alloc(0);
	let tail = none;
	let bytes = 0;
	let count = 0;
	for (let n = await reader.read(); !n.done; n = await reader.read()) {
		bytes += n.value.length;
		onChunk();
		const chunk = Buffer.from(n.value.buffer, n.value.byteOffset, n.value.length);
		const hay = tail.length > 0 ? Buffer.concat([tail, chunk]) : chunk;
		for (let i = hay.indexOf(needle); i !== -1; i = hay.indexOf(needle, i + needle.length)) {
			count += 1;
		}
		// Keep the end that could begin a marker split across chunks (none for one byte); it is
		// shorter than the marker, so no marker counted above is counted again.
		tail = needle.length > 1 ? Buffer.from(hay.subarray(hay.length - (needle.length - 1))) : none;
		if (performance.now() - t > EXPORT_CAP_MS) {
			await reader.cancel();
			break;
		}
	}
	return { bytes, count, seconds: (performance.now() - t) / 1000 };
}

/**
 * The raw scan behind the VS ratio: the rows the VS export is made of, read as it reads them. A
 * reading goes in when it, its dosing session and its participant are in effect (three
 * entered-in-error filters over the session and participant joins), in (session, time, id) order,
 * with the subject, study and visit each VS row names; every row is read with better-sqlite3's
 * `.raw()` (arrays) and its values joined into a line. It leaves out only what the export derives
 * per session (the planned visit before it and the subject's first dose, two lookups per session)
 * and everything it computes per row. A scan of `vital_reading` alone (the baseline before
 * 2026-12-07) read readings the export leaves out and none of the joins it must do.
 * Rows: one per measure taken, and one (VSALL) per reading not done, as the VS export writes.
 */
export const VS_RAW_SQL = `select vr.id, vr.dosing_session_id, vr.timepoint_minutes, vr.timepoint_label,
	vr.measured_at, vr.systolic, vr.diastolic, vr.heart_rate, vr.temperature_c, vr.temperature_value,
	vr.temperature_unit, vr.position, vr.not_done_reason,
	p.subject_code, s.code, v.label, v.sequence, ds.session_number, ds.t0
from vital_reading vr
join dosing_session ds on ds.id = vr.dosing_session_id
join participant p on p.id = vr.participant_id
join study s on s.id = p.study_id
left join visit v on v.id = ds.visit_id
where vr.entered_in_error_at is null and ds.entered_in_error_at is null
	and p.entered_in_error_at is null
order by vr.dosing_session_id, vr.measured_at, vr.id`;

/** VS_RAW_SQL read through: its VS rows and the characters of its lines. */
export function vsRawScan(sqlite: SQLite.Database): { rows: number; chars: number } {
	let rows = 0;
	let chars = 0;
	for (const row of sqlite.prepare(VS_RAW_SQL).raw().iterate()) {
		const r = row as unknown[];
		chars += r.join(',').length;
		// systolic, diastolic, heart_rate, temperature_c; a reading not done is one row (VSALL).
		const taken = +(r[5] !== null) + +(r[6] !== null) + +(r[7] !== null) + +(r[8] !== null);
		rows += r[12] !== null ? 1 : taken;
	}
	return { rows, chars };
}

/** Runs of the VS ratio, raw scan and export in turn; the run with the median ratio is reported. */
const VS_RUNS = 3;

/**
 * The VS export (through an export worker, as the server runs it) against vsRawScan, by rows per
 * second and by this process's CPU (every thread: the worker, this one and V8's helpers). One run
 * of each took under a second at `site` on a shared machine, so a single pair was mostly noise.
 */
async function vsRatio(ctx: ServiceContext, sqlite: SQLite.Database) {
	const runs = [];
	for (let i = 0; i < VS_RUNS; i++) {
		let rawRows = 0;
		let t = performance.now();
		const rawCpu = await cpuTime(() => (rawRows = vsRawScan(sqlite).rows));
		const rawRate = rawRows / ((performance.now() - t) / 1000);
		const file = await exportDomainCsv(ctx, 'VS', {});
		let vs = { bytes: 0, count: 0, seconds: 0 };
		t = performance.now();
		const vsCpu = await cpuTime(async () => (vs = await drain(file.stream, '\n')));
		const rows = vs.count - 1;
		const rate = rows / vs.seconds;
		// CPU per row: the export's rows (it may have been stopped at EXPORT_CAP_MS) over the raw's.
		const cpuRatio = rawCpu / rawRows / (vsCpu / rows);
		runs.push({
			rate,
			rawRate,
			ratio: rate / rawRate,
			rawCpu,
			vsCpu,
			cpuRatio,
			seconds: vs.seconds
		});
	}
	runs.sort((a, b) => a.ratio - b.ratio);
	const m = runs[Math.floor(runs.length / 2)]!;
	return {
		measured: round(m.rate, 0),
		baseline: round(m.rawRate, 0),
		ratio: round(m.ratio),
		unit: 'VS rows/s',
		seconds: round(m.seconds, 1),
		runs: VS_RUNS,
		cpu: {
			measured: round(m.vsCpu / 1000, 0),
			baseline: round(m.rawCpu / 1000, 0),
			ratio: round(m.cpuRatio)
		}
	};
}

/**
 * Rows per second: each export against a raw better-sqlite3 scan of the rows it is made of (the
 * raw scan reads every row and joins its values into a line). VS: vsRawScan (the readings in
 * effect with their session, subject and visit); ODM: one transaction (AuditRecord) per audited
 * change of a clinical record.
 */
async function exportRatios(ctx: ServiceContext, sqlite: SQLite.Database) {
	const rawScan = (sql: string, rowsOf: (row: Record<string, unknown>) => number) => {
		const t = performance.now();
		let n = 0;
		let chars = 0;
		for (const row of sqlite.prepare(sql).iterate()) {
			chars += Object.values(row as Record<string, unknown>).join(',').length;
			n += rowsOf(row as Record<string, unknown>);
		}
		return { rate: n / ((performance.now() - t) / 1000), chars };
	};
	const vs = await vsRatio(ctx, sqlite);
	const odmRaw = rawScan(
		`select * from audit_event where entity_type in ('participant', 'visit', 'dosing_session', 'vital_reading', 'adverse_event', 'scale_administration') order by seq`,
		() => 1
	);
	// The process's resident memory (this thread and the read workers) while the ODM export runs
	// alone: sampled every 50 ms, and at every chunk (an export read in-process holds the loop).
	const rssBefore = process.memoryUsage.rss();
	let rssPeak = rssBefore;
	const sample = () => (rssPeak = Math.max(rssPeak, process.memoryUsage.rss()));
	const sampler = setInterval(sample, 50);
	const odm = await drain((await exportOdm(ctx, {})).stream, '<AuditRecord', sample).finally(() =>
		clearInterval(sampler)
	);
	const odmRate = odm.count / odm.seconds;
	return {
		vs,
		odm: {
			measured: round(odmRate, 0),
			baseline: round(odmRaw.rate, 0),
			ratio: round(odmRate / odmRaw.rate),
			unit: 'transactions/s',
			seconds: round(odm.seconds, 1),
			bytes: odm.bytes,
			rssGrowthMb: round((rssPeak - rssBefore) / 1048576, 1)
		}
	};
}

/**
 * Starts every worker and waits until each has loaded its code, before anything is timed. The
 * pool starts all four (two for reads, two for exports) on the first need of any; here, under tsx,
 * each compiles the server's modules: about 19 s of CPU on a loaded machine (2026-12-07), which
 * fell inside the write measure and made a save look 5–10 × dearer at the trial tier.
 */
async function warmWorkers(ctx: ServiceContext): Promise<void> {
	const reads = ctx.reads!;
	const query = () => reads.db.selectFrom('site').select('id').execute();
	await Promise.all([
		reads.checkpoint!(),
		query(),
		query(),
		drain((await exportDomainCsv(ctx, 'DM', {})).stream, '\n'),
		drain((await exportDomainCsv(ctx, 'AE', {})).stream, '\n')
	]);
}

/** Audit verify (service, in a read worker) against chainHash over the same rows, raw. */
async function verifyRatio(
	ctx: ServiceContext,
	sqlite: SQLite.Database
): Promise<Ratio & { ok: boolean }> {
	let t = performance.now();
	let report: Awaited<ReturnType<typeof verifyAuditChain>> | undefined;
	// This process's CPU, the read workers' threads included: verify does more than the raw loop
	// (every table against the trail too), on both cores, so its CPU ratio sits below its wall one.
	const serviceCpu = await cpuTime(async () => {
		report = await verifyAuditChain(ctx, { key: null });
	});
	const service = (performance.now() - t) / 1000;
	t = performance.now();
	let n = 0;
	const rawCpu = await cpuTime(() => {
		let prev = GENESIS_HASH;
		for (const row of sqlite.prepare('select * from audit_event order by seq').iterate()) {
			const r = row as ChainRow;
			if (chainHash({ ...r, prev_hash: prev }) !== r.hash) {
				throw new Error(`raw recomputation: row ${r.seq} does not chain`);
			}
			prev = r.hash;
			n++;
		}
	});
	const raw = (performance.now() - t) / 1000;
	return {
		measured: round(n / service, 0),
		baseline: round(n / raw, 0),
		ratio: round(raw / service),
		unit: 'audit rows/s',
		cpu: {
			measured: round(serviceCpu / 1e6, 1),
			baseline: round(rawCpu / 1e6, 1),
			ratio: round(rawCpu / serviceCpu)
		},
		ok: report!.ok
	};
}

/**
 * Above this, verify is not measured. The trial tier (3.37 M rows) is: its verify costs about
 * 100 s of CPU on both cores and the plain recomputation 43 s (docs/benchmarks.md, 2026-12-07).
 */
const VERIFY_MAX_ROWS = 5_000_000;

export async function inProcessMeasures(file: string, log: (line: string) => void) {
	// As the server opens it (runtime/app.ts): commits synced after COMMIT, checkpoints on a worker.
	const { db, sqlite, wal } = openDatabase(file, { syncAfterCommit: true });
	// The raw baselines run on this thread at the process's priority; so do the workers here (the
	// server runs them below its request thread, WORKER_NICE): on a shared machine a nice value is
	// the scheduler's share against other people's work, and a ratio here compares the work.
	const reads = workerReads(file, { workers: 2, nice: { reads: 0, exports: 0 } });
	const checkpoints = keepCheckpointed(wal!, () => reads.checkpoint!());
	const ctx: ServiceContext = {
		...systemContext(db as Db, 'bench'),
		reads,
		limits: { maxBatchReadings: 500, maxUnscheduledReadings: 1_000_000 }
	};
	try {
		await warmWorkers(ctx);
		log('  writes: service path against raw inserts…');
		const write = await writeRates(ctx, sqlite, 300);
		log('  batches of 500 against batches of 10…');
		const batch = await batchCost(ctx);
		log('  exports against raw scans…');
		const exports = await exportRatios(ctx, sqlite);
		const auditRows = (sqlite.prepare('select count(*) n from audit_event').get() as { n: number })
			.n;
		// Verification reads the whole chain, twice here (service and raw): about 2½ minutes of CPU
		// at the trial tier (and many more of wall time when the machine is shared).
		let verify: (Ratio & { ok: boolean }) | { skipped: string } = {
			skipped: `${auditRows} audit rows: not measured in this run (see docs/benchmarks.md)`
		};
		if (auditRows <= VERIFY_MAX_ROWS) {
			log('  audit verify against a plain recomputation…');
			verify = await verifyRatio(ctx, sqlite);
		}
		return { write, batch, ...exports, verify };
	} finally {
		checkpoints.stop();
		await reads.close();
		await wal?.close();
		await db.destroy();
	}
}
