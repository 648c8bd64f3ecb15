// SDTM VS as CSV is written straight to bytes (vsCsvChunks), without a row object per record. It must
// be the same bytes as the rows written by the shared CSV writer (rowLine, held to csv-stringify
// in tests/unit/csv-writer.test.ts) after the long-text cut: for awkward text in every field a
// user or a protocol can fill (quotes, commas, line breaks, formula starts, text long enough to be
// cut in bytes only), for readings not done, °F temperatures, ties, sessions without a visit,
// records entered in error, and under every filter and page size. And the records are those the
// export counts (countVs, one query over the readings joined to their session and participant).
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { csvChunks } from '../../src/lib/server/export/csv';
import type { ExportScope } from '../../src/lib/server/export/pages';
import { columnsOf, SDTM_DATASETS } from '../../src/lib/server/export/sdtm/datasets';
import { vsReadingPages } from '../../src/lib/server/export/sdtm/vs-query';
import { protocolLookup } from '../../src/lib/server/services/protocol/studies';
import { sqliteHandleOf, type Executor } from '../../src/lib/server/db';
import { onPostgres } from '../helpers/database';
import { enrolledParticipant, type TestDb, freshDbEach } from '../helpers/db';

let t: TestDb;
freshDbEach((db) => (t = db));

const VS = SDTM_DATASETS.VS;

async function text(chunks: AsyncIterable<Uint8Array>): Promise<string> {
	const parts: Uint8Array[] = [];
	for await (const c of chunks) parts.push(c);
	return Buffer.concat(parts).toString('utf8');
}

/** The readings of VS as vsReadingPages gives them, with their sessions. */
async function readings(db: Executor, scope: ExportScope) {
	const all = [];
	for await (const page of vsReadingPages(db, scope)) all.push(...page);
	return all;
}

/** The direct writer's file and the rows' file, as the CSV export would send each. */
async function bothFiles(scope: ExportScope) {
	const protocolOf = protocolLookup(t.db);
	const direct = await text(VS.csvFile!(t.db, scope, protocolOf));
	const rows = await text(csvChunks(columnsOf(VS), VS.rows(t.db, scope, protocolOf)));
	return { direct, rows, count: await VS.count(t.db, scope, protocolOf) };
}

// Text as users type it: CSV's own characters, formula starts, tabs and NUL, letters outside
// ASCII (2, 3 and 4 bytes in UTF-8), and long enough to be cut at 200 bytes (by bytes alone, too).
const unit = fc.constantFrom(
	'a',
	'Z',
	' ',
	',',
	'"',
	'\r',
	'\n',
	'=',
	'+',
	'-',
	'@',
	'\t',
	'1',
	'.',
	'é',
	'セ',
	'😀'
);
const awkward = fc.oneof(
	fc.string({ unit, maxLength: 12 }),
	fc.string({ unit, minLength: 60, maxLength: 90 }),
	fc.constantFrom('=1+1', '-PT30M', '+3', '@SUM(A1)', 'SITTING', 'セルトラリン錠'.repeat(12))
);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null, freq: 3 });

const PLANNED = [
	[-30, 'PRE-DOSE'],
	[30, '30 MIN POST-DOSE'],
	[60, '1 H POST-DOSE'],
	[null, 'END OF SESSION']
] as const;

const reading = fc.record({
	timepoint: fc.oneof(
		fc.constantFrom(...PLANNED),
		fc.constant([null, 'UNSCHEDULED'] as const),
		awkward.map((label) => [15, label] as const)
	),
	// Minutes from T0: before the dose (a baseline), at it and after; a few share a minute (ties).
	minute: fc.integer({ min: -40, max: 40 }),
	systolic: maybe(fc.integer({ min: -5, max: 250 })),
	diastolic: maybe(fc.integer({ min: 0, max: 150 })),
	heartRate: maybe(fc.integer({ min: 0, max: 220 })),
	temperature: maybe(
		fc.record({
			tenths: fc.integer({ min: 340, max: 420 }),
			typed: fc.constantFrom('C', 'F', null)
		})
	),
	position: maybe(awkward),
	notDone: fc.option(awkward, { nil: null, freq: 5 }),
	inError: fc.constantFrom(false, false, false, true)
});

const session = fc.record({
	withVisit: fc.boolean(),
	hour: fc.integer({ min: 8, max: 12 }),
	day: fc.integer({ min: 18, max: 22 }),
	inError: fc.constantFrom(false, false, false, true),
	readings: fc.array(reading, { maxLength: 7 })
});

const participant = fc.record({
	site: fc.constantFrom('A1' as const, 'B1' as const),
	code: awkward,
	visitLabel: awkward,
	inError: fc.constantFrom(false, false, false, false, true),
	sessions: fc.array(session, { minLength: 1, maxLength: 3 })
});

type Participant = typeof participant extends fc.Arbitrary<infer P> ? P : never;

async function insert(p: Participant, n: number): Promise<void> {
	const { id } = await enrolledParticipant(t, p.site, '2026-10-01');
	const siteId = p.site === 'A1' ? t.siteA : t.siteB;
	const at = '2026-11-01T00:00:00.000Z';
	await t.db
		.updateTable('participant')
		.set({ subject_code: `${n}${p.code}`, entered_in_error_at: p.inError ? at : null })
		.where('id', '=', id)
		.execute();
	const visits = await t.db
		.selectFrom('visit')
		.select(['id'])
		.where('participant_id', '=', id)
		.orderBy('sequence')
		.execute();
	await t.db
		.updateTable('visit')
		.set({ label: p.visitLabel })
		.where('id', '=', visits[2]!.id)
		.execute();
	for (const [i, s] of p.sessions.entries()) {
		const t0 = new Date(Date.UTC(2026, 10, s.day, s.hour)).toISOString();
		const { id: sessionId } = await t.db
			.insertInto('dosing_session')
			.values({
				participant_id: id,
				site_id: siteId,
				visit_id: s.withVisit ? visits[2 + i]!.id : null,
				session_number: i + 1,
				t0,
				initial_dose_mg: 120,
				created_at: at,
				entered_in_error_at: s.inError ? at : null
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		if (s.readings.length === 0) continue;
		await t.db
			.insertInto('vital_reading')
			.values(
				s.readings.map((r) => {
					const celsius = r.temperature === null ? null : r.temperature.tenths / 10;
					const typed = r.temperature?.typed ?? null;
					return {
						dosing_session_id: sessionId,
						participant_id: id,
						site_id: siteId,
						timepoint_minutes: r.timepoint[0],
						timepoint_label: r.timepoint[1],
						measured_at: new Date(Date.parse(t0) + r.minute * 60_000).toISOString(),
						systolic: r.notDone === null ? r.systolic : null,
						diastolic: r.notDone === null ? r.diastolic : null,
						heart_rate: r.notDone === null ? r.heartRate : null,
						temperature_c: r.notDone === null ? celsius : null,
						temperature_value:
							typed === null || celsius === null
								? null
								: typed === 'F'
									? Math.round((celsius * 9) / 5 + 32) + 0.5
									: celsius,
						temperature_unit: celsius === null ? null : typed,
						position: r.position,
						not_done_reason: r.notDone,
						source: 'entry',
						created_at: at,
						entered_in_error_at: r.inError ? at : null
					};
				})
			)
			.execute();
	}
}

it('writes VS text byte for byte as the rows, for awkward values, under every filter', async () => {
	let n = 0;
	await fc.assert(
		fc.asyncProperty(fc.array(participant, { minLength: 1, maxLength: 3 }), async (people) => {
			for (const p of people) await insert(p, ++n);
			const scopes: ExportScope[] = [
				{ siteIds: 'all' },
				{ siteIds: [t.siteB] },
				{ siteIds: 'all', pageSize: 2 },
				{ siteIds: [t.siteA, t.siteB], from: '2026-11-19', to: '2026-11-21', pageSize: 3 },
				{ siteIds: 'all', studyId: t.studyId + 1 }
			];
			for (const scope of scopes) {
				const { direct, rows, count } = await bothFiles(scope);
				expect(direct).toBe(rows);
				// One record per row the export counts, read back by an independent parser.
				expect(parse(direct, { relax_quotes: false })).toHaveLength(count + 1);
				// On SQLite the readings are read below Kysely (better-sqlite3's raw rows); through
				// Kysely (a transaction's handle, as on PostgreSQL) they are the same, in the same order.
				const viaKysely = await t.db.transaction().execute((trx) => readings(trx, scope));
				expect(await readings(t.db, scope)).toEqual(viaKysely);
			}
		}),
		{ numRuns: 15, seed: 1207 }
	);
	// On SQLite the two readings above took different paths (a transaction has no handle below).
	expect(sqliteHandleOf(t.db) !== null).toBe(!onPostgres);
	// The property reached what it is about: readings not done, °F originals, baseline flags,
	// sessions without a visit (an unplanned visit), text quoted or neutralised.
	const all = (await bothFiles({ siteIds: 'all' })).direct;
	expect(all).toMatch(/,VSALL,/);
	expect(all).toMatch(/,Y,/);
	expect(all).toMatch(/,UNSCHEDULED [1-9]/);
	expect(all).toMatch(/,F,/);
	expect(all).toMatch(/"[^"]*\n/);
	expect(all).toMatch(/,'[=+\-@]/);
}, 120_000);
