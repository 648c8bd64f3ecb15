// Benchmark, not a test: fills a temporary database with many vital readings, then streams the
// SDTM VS export to /dev/null and prints rows per second and the peak memory while streaming.
//   npx tsx scripts/bench-export.ts [readings, default 200000]
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_PROTOCOL_JSON } from '../src/lib/domain/protocol';
import { systemContext } from '../src/lib/server/runtime/context';
import { openDatabase, type Db } from '../src/lib/server/db';
import { migrateToLatest } from '../src/lib/server/db/migrate';
import { exportDomainCsv } from '../src/lib/server/services/audit/exports';
import { createSite } from '../src/lib/server/services/people/sites';
import { loadProtocol } from '../src/lib/server/services/protocol/studies';

const READINGS = Number(process.argv[2] ?? 200_000);
const PER_SESSION = 20;
const SESSIONS_PER_PARTICIPANT = 3;
const T0 = Date.parse('2026-06-01T09:00:00Z');

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function readingsOf(
	sessionId: number,
	participantId: number,
	siteId: number,
	t0: number,
	n: number
) {
	return Array.from({ length: n }, (_, i) => ({
		dosing_session_id: sessionId,
		participant_id: participantId,
		site_id: siteId,
		timepoint_minutes: i === 0 ? -30 : null,
		timepoint_label: i === 0 ? 'PRE-DOSE' : 'UNSCHEDULED',
		measured_at: new Date(t0 + (i * 25 - 30) * 60_000).toISOString(),
		systolic: 110 + (i % 40),
		diastolic: 70 + (i % 20),
		heart_rate: 60 + (i % 50),
		temperature_c: 36.5 + (i % 10) / 10,
		source: 'monitor',
		created_at: new Date(T0).toISOString()
	}));
}

/** One participant with their sessions and readings, in one transaction. */
async function fillParticipant(db: Db, where: { siteId: number; studyId: number }, k: number) {
	const at = new Date(T0).toISOString();
	await db.transaction().execute(async (trx) => {
		const p = await trx
			.insertInto('participant')
			.values({
				study_id: where.studyId,
				site_id: where.siteId,
				subject_code: `A1-${String(k + 1).padStart(4, '0')}`,
				status: 'enrolled',
				sex: 'F',
				birth_year: 1980,
				dose_group: '120 mg',
				enrolled_on: '2026-05-01',
				created_at: at
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		for (let n = 0; n < SESSIONS_PER_PARTICIPANT; n++) {
			const t0 = T0 + (k * SESSIONS_PER_PARTICIPANT + n) * 86_400_000;
			const session = await trx
				.insertInto('dosing_session')
				.values({
					participant_id: p.id,
					site_id: where.siteId,
					session_number: n + 1,
					t0: new Date(t0).toISOString(),
					initial_dose_mg: 120,
					created_at: at
				})
				.returning('id')
				.executeTakeFirstOrThrow();
			const rows = readingsOf(session.id, p.id, where.siteId, t0, PER_SESSION);
			await trx.insertInto('vital_reading').values(rows).execute();
		}
	});
}

async function fill(db: Db, where: { siteId: number; studyId: number }): Promise<void> {
	const participants = Math.ceil(READINGS / (PER_SESSION * SESSIONS_PER_PARTICIPANT));
	for (let k = 0; k < participants; k++) await fillParticipant(db, where, k);
}

/** Streams an export to /dev/null; bytes, lines and the peak RSS on the way. */
async function drain(stream: ReadableStream<Uint8Array>) {
	const out = openSync('/dev/null', 'w');
	let peak = process.memoryUsage().rss;
	const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
	let bytes = 0;
	let lines = 0;
	for await (const chunk of stream) {
		writeSync(out, chunk);
		bytes += chunk.byteLength;
		for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) lines++;
	}
	clearInterval(sampler);
	closeSync(out);
	return { bytes, lines, peak: Math.max(peak, process.memoryUsage().rss) };
}

async function main(): Promise<void> {
	const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-'));
	const { db, sqlite } = openDatabase(join(dir, 'bench.db'));
	try {
		sqlite.pragma('synchronous = OFF'); // filling only: the export reads
		await migrateToLatest(db);
		const ctx = systemContext(db, 'bench');
		const site = await createSite(ctx, { code: 'A1', name: 'Bench', timezone: 'UTC' });
		const { study } = await loadProtocol(ctx, DEMO_PROTOCOL_JSON);
		let started = performance.now();
		await fill(db, { siteId: site.id, studyId: study.id });
		const { n } = await db
			.selectFrom('vital_reading')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.executeTakeFirstOrThrow();
		console.log(`filled ${n} readings in ${((performance.now() - started) / 1000).toFixed(1)} s`);

		const before = process.memoryUsage().rss;
		started = performance.now();
		const file = await exportDomainCsv(ctx, 'VS', {});
		const { bytes, lines, peak } = await drain(file.stream);
		const seconds = (performance.now() - started) / 1000;
		const rows = lines - 1; // the header
		console.log(`VS export: ${rows} rows (${mb(bytes)}) in ${seconds.toFixed(2)} s`);
		console.log(`  ${Math.round(rows / seconds)} rows/s, ${mb(bytes / seconds)}/s`);
		console.log(
			`  RSS before ${mb(before)}, peak while streaming ${mb(peak)} (+${mb(peak - before)})`
		);
		console.log(`  rows counted when the export started: ${file.rowCountHint}`);
	} finally {
		await db.destroy();
		rmSync(dir, { recursive: true, force: true });
	}
}

await main();
