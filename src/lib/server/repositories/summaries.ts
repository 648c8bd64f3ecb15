// The dashboard summaries recomputed from history, for one participant, one session or everyone:
// each refresh deletes the rows it covers and inserts them again from the records in effect. The
// write path runs them for what a write touched (services/dashboards/summaries.ts); a bulk load
// runs them for everyone. Migration 2026_12_08_2000 backfills with a frozen copy of these queries.
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Compilable, Insertable } from 'kysely';
import type { Executor } from '../db';
import type { AeSiteKeyTable } from '../db/schema-summaries';
import { compiledOnce } from '../db/prepared';
import { addToCells } from './counted-cells';

/** Whose rows a refresh covers: a participant's, a session's, or every row. */
export type SummaryTarget = { participantId: number } | { sessionId: number } | 'all';

function matches(
	target: SummaryTarget,
	participant: string,
	session?: string
): RawBuilder<SqlBool> {
	if (target === 'all') return sql<SqlBool>`1 = 1`;
	if ('participantId' in target) {
		return sql<SqlBool>`${sql.ref(participant)} = ${target.participantId}`;
	}
	if (!session) throw new Error('This summary is kept per participant, not per session');
	return sql<SqlBool>`${sql.ref(session)} = ${target.sessionId}`;
}

const SCOPE_COLUMNS = ['participant_id', 'study_id', 'site_id', 'dose_group'] as const;

/** Numbers administrations latest first within each partition (1 = latest). */
const latestFirst = (partition: RawBuilder<unknown>) =>
	sql<number>`row_number() over (partition by ${partition} order by s.administered_at desc, s.id desc)`;

/**
 * Per participant × instrument × visit: the latest complete total at a visit in effect, the last
 * complete total before the first dose (the baseline), and change and percent change from it at
 * a visit on or after the first dose (DOMAIN.md §2; as scale-series.ts).
 */
export async function refreshScaleTotals(db: Executor, target: { participantId: number } | 'all') {
	await db.deleteFrom('scale_visit_total').where(matches(target, 'participant_id')).execute();
	const counted = sql<SqlBool>`(s.complete = 1 and s.total is not null
		and s.entered_in_error_at is null)`;
	const afterDose = sql`f.t0 is not null and r.administered_at >= f.t0`;
	await db
		.with('first_dose', (qb) =>
			qb
				.selectFrom('dosing_session')
				.select(['participant_id', (eb) => eb.fn.min('t0').as('t0')])
				.where('entered_in_error_at', 'is', null)
				.where(matches(target, 'participant_id'))
				.groupBy('participant_id')
		)
		.with('at_visit', (qb) =>
			qb
				.selectFrom('scale_administration as s')
				.innerJoin('visit as v', 'v.id', 's.visit_id')
				.select([
					's.participant_id',
					's.instrument',
					'v.visit_code',
					's.total',
					's.administered_at'
				])
				.select(latestFirst(sql`s.participant_id, s.instrument, v.visit_code`).as('rn'))
				.where(counted)
				.where('v.entered_in_error_at', 'is', null)
				.where(matches(target, 's.participant_id'))
		)
		.with('before_dose', (qb) =>
			qb
				.selectFrom('scale_administration as s')
				.innerJoin('first_dose as f', 'f.participant_id', 's.participant_id')
				.select(['s.participant_id', 's.instrument', 's.total'])
				.select(latestFirst(sql`s.participant_id, s.instrument`).as('rn'))
				.where(counted)
				.whereRef('s.administered_at', '<', 'f.t0')
		)
		.insertInto('scale_visit_total')
		.columns([
			...SCOPE_COLUMNS,
			'subject_code',
			'instrument',
			'visit_code',
			'total',
			'administered_at',
			'baseline',
			'change',
			'pct'
		])
		.expression((eb) =>
			eb
				.selectFrom('participant as p')
				.innerJoin('at_visit as r', (j) =>
					j.onRef('r.participant_id', '=', 'p.id').on('r.rn', '=', 1)
				)
				.leftJoin('first_dose as f', 'f.participant_id', 'p.id')
				.leftJoin('before_dose as b', (j) =>
					j
						.onRef('b.participant_id', '=', 'p.id')
						.onRef('b.instrument', '=', 'r.instrument')
						.on('b.rn', '=', 1)
				)
				.select(['p.id', 'p.study_id', 'p.site_id', 'p.dose_group', 'p.subject_code'])
				.select([
					'r.instrument',
					'r.visit_code',
					'r.total',
					'r.administered_at',
					'b.total as baseline'
				])
				// Change from baseline only after the first dose; percent change only from a nonzero one.
				.select(sql<number | null>`case when ${afterDose} then r.total - b.total end`.as('change'))
				.select(
					sql<number | null>`case when ${afterDose} and b.total > 0
					then (r.total - b.total) * 100.0 / b.total end`.as('pct')
				)
				.where('p.entered_in_error_at', 'is', null)
				.where(matches(target, 'p.id'))
		)
		.execute();
}

/** A session's (or a participant's, or every) session_peak rows, to delete before a refresh. */
const peaksOf = (db: Executor, target: SummaryTarget) =>
	db.deleteFrom('session_peak').where(matches(target, 'participant_id', 'dosing_session_id'));

/** Each session's peak of each measure over its readings in effect, for `target`. */
const peaksInto = (db: Executor, target: SummaryTarget) =>
	db
		.insertInto('session_peak')
		.columns([
			...SCOPE_COLUMNS,
			'dosing_session_id',
			'systolic',
			'diastolic',
			'heart_rate',
			'temperature_c'
		])
		.expression((eb) =>
			eb
				.selectFrom('dosing_session as ds')
				.innerJoin('participant as p', 'p.id', 'ds.participant_id')
				.leftJoin('vital_reading as vr', (j) =>
					j.onRef('vr.dosing_session_id', '=', 'ds.id').on('vr.entered_in_error_at', 'is', null)
				)
				.select(['p.id', 'p.study_id', 'p.site_id', 'p.dose_group', 'ds.id as session_id'])
				.select((e) => [
					e.fn.max('vr.systolic').as('systolic'),
					e.fn.max('vr.diastolic').as('diastolic'),
					e.fn.max('vr.heart_rate').as('heart_rate'),
					e.fn.max('vr.temperature_c').as('temperature_c')
				])
				.where('ds.entered_in_error_at', 'is', null)
				.where('p.entered_in_error_at', 'is', null)
				.where(matches(target, 'p.id', 'ds.id'))
				.groupBy(['p.id', 'p.study_id', 'p.site_id', 'p.dose_group', 'ds.id'])
		);

/** A session's (or a participant's, or every) session_breach rows, to delete before a refresh. */
const breachesOf = (db: Executor, target: SummaryTarget) =>
	db.deleteFrom('session_breach').where(matches(target, 'participant_id', 'dosing_session_id'));

/**
 * Vital-sign breaches per session and rule: flags of the vitals rules (`vitals%`) that did not
 * close themselves because their data were corrected or entered in error (auto_closed).
 */
const breachesInto = (db: Executor, target: SummaryTarget) =>
	db
		.insertInto('session_breach')
		.columns([...SCOPE_COLUMNS, 'dosing_session_id', 'rule_id', 'breaches'])
		.expression((eb) =>
			eb
				.selectFrom('flag as f')
				.innerJoin('dosing_session as ds', 'ds.id', 'f.dosing_session_id')
				.innerJoin('participant as p', 'p.id', 'ds.participant_id')
				.select(['p.id', 'p.study_id', 'p.site_id', 'p.dose_group', 'ds.id as session_id'])
				.select(['f.rule_id', (e) => e.fn.countAll<number>().as('breaches')])
				.where('f.rule_id', 'like', 'vitals%')
				.where('f.auto_closed', '=', 0)
				.where('ds.entered_in_error_at', 'is', null)
				.where('p.entered_in_error_at', 'is', null)
				.where(matches(target, 'p.id', 'ds.id'))
				.groupBy(['p.id', 'p.study_id', 'p.site_id', 'p.dose_group', 'ds.id', 'f.rule_id'])
		);

/**
 * A summary's delete and insert for one session or one participant, compiled once each (a save
 * that moves a session's peaks or breaches runs them; building the insert's query tree cost more
 * than running it), and as built for every row.
 */
function refreshOf(
	remove: (db: Executor, target: SummaryTarget) => Compilable<unknown>,
	insert: (db: Executor, target: SummaryTarget) => Compilable<unknown>
) {
	const bySession = [
		compiledOnce((db, id: number) => remove(db, { sessionId: id })),
		compiledOnce((db, id: number) => insert(db, { sessionId: id }))
	] as const;
	const byParticipant = [
		compiledOnce((db, id: number) => remove(db, { participantId: id })),
		compiledOnce((db, id: number) => insert(db, { participantId: id }))
	] as const;
	return async (db: Executor, target: SummaryTarget) => {
		if (target === 'all') {
			await db.executeQuery(remove(db, target).compile());
			await db.executeQuery(insert(db, target).compile());
			return;
		}
		const [del, ins, id] =
			'sessionId' in target
				? [...bySession, target.sessionId]
				: [...byParticipant, target.participantId];
		await del(db, id);
		await ins(db, id);
	};
}

/** Each session's peak of each measure over its readings in effect. */
export const refreshSessionPeaks: (db: Executor, target: SummaryTarget) => Promise<void> =
	refreshOf(peaksOf, peaksInto);

/** Vital-sign breaches per session and rule (see breachesInto). */
export const refreshSessionBreaches: (db: Executor, target: SummaryTarget) => Promise<void> =
	refreshOf(breachesOf, breachesInto);

/** The stored severity as a grade: CTCAE 'grade:N' → N; mild, moderate, severe → 1, 2, 3. */
export const GRADE = sql<number>`case
	when ae.severity like 'grade:%' then cast(substr(ae.severity, 7) as integer)
	when ae.severity = 'intensity:mild' then 1
	when ae.severity = 'intensity:moderate' then 2
	when ae.severity = 'intensity:severe' then 3 end`;

/** A dosed participant's AEs in effect per coded term: worst grade, events, serious events. */
export async function refreshAeTerms(db: Executor, target: { participantId: number } | 'all') {
	await db.deleteFrom('ae_participant_term').where(matches(target, 'participant_id')).execute();
	await db
		.insertInto('ae_participant_term')
		.columns([...SCOPE_COLUMNS, 'coded_term_code', 'worst', 'events', 'serious'])
		.expression((eb) =>
			eb
				.selectFrom('adverse_event as ae')
				.innerJoin('participant as p', 'p.id', 'ae.participant_id')
				.select(['p.id', 'p.study_id', 'p.site_id', 'p.dose_group', 'ae.coded_term_code'])
				.select(sql<number | null>`max(${GRADE})`.as('worst'))
				.select(sql<number>`count(*)`.as('events'))
				.select(sql<number>`sum(ae.serious)`.as('serious'))
				.where('ae.entered_in_error_at', 'is', null)
				.where('p.entered_in_error_at', 'is', null)
				.where(matches(target, 'p.id'))
				.where((e) =>
					e.exists(
						e
							.selectFrom('dosing_session as d')
							.select('d.id')
							.whereRef('d.participant_id', '=', 'p.id')
							.where('d.entered_in_error_at', 'is', null)
					)
				)
				.groupBy(['p.id', 'p.study_id', 'p.site_id', 'p.dose_group', 'ae.coded_term_code'])
		)
		.execute();
}

/** The per participant × term AE rows of one participant, or everyone's (ae_site_key's input). */
export function aeTermRows(db: Executor, target: { participantId: number } | 'all') {
	return db
		.selectFrom('ae_participant_term')
		.select([
			'participant_id',
			'study_id',
			'site_id',
			'dose_group',
			'coded_term_code',
			'worst',
			'events',
			'serious'
		])
		.where(matches(target, 'participant_id'))
		.execute();
}

type AeSiteKeyRow = Insertable<AeSiteKeyTable>;
const AE_SITE_KEY = ['study_id', 'site_id', 'dose_group', 'key_kind', 'key', 'worst'] as const;

/**
 * Adds these changes to the AE cells, then removes the cells they left with no participant, so
 * the table holds what a recomputation holds.
 */
export function addAeSiteKeys(db: Executor, deltas: readonly AeSiteKeyRow[]) {
	return addToCells(
		db,
		'ae_site_key',
		{
			key: AE_SITE_KEY,
			counters: ['participants', 'events', 'with_serious'],
			countedBy: 'participants'
		},
		deltas
	);
}

/** Every AE cell replaced (a rebuild), in chunks a statement's parameters allow. */
export async function replaceAeSiteKeys(db: Executor, cells: readonly AeSiteKeyRow[]) {
	await db.deleteFrom('ae_site_key').execute();
	for (let i = 0; i < cells.length; i += 500) {
		await db
			.insertInto('ae_site_key')
			.values(cells.slice(i, i + 500))
			.execute();
	}
}

/** The backfills migrations left for the app (migration 2026_12_10_7000), by name. */
export async function pendingBackfills(db: Executor): Promise<string[]> {
	const rows = await db.selectFrom('pending_backfill').select('name').orderBy('name').execute();
	return rows.map((r) => r.name);
}

/** A backfill done (in the transaction that did it); all of them, with no name (a full rebuild). */
export async function clearPendingBackfill(db: Executor, name?: string): Promise<void> {
	let q = db.deleteFrom('pending_backfill');
	if (name !== undefined) q = q.where('name', '=', name);
	await q.execute();
}
