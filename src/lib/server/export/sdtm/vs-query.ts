// The readings behind SDTM VS, a keyset page at a time in (session, time, id) order: the order of
// the vital_reading_session_idx index, so each page is an index range, not a sort.
import { sql, type Selectable } from 'kysely';
import type { Executor } from '../../db';
import { oneIf } from '../../db/portable';
import type { VitalReadingTable } from '../../db/schema';
import { inStudy, siteIn, withinDays, type ExportScope } from '../pages';
import { sessionContextColumns, type SessionContext } from './common';

/** A reading's columns as the table has them, with its session's and study's. */
export interface VsSource
	extends
		SessionContext,
		Pick<
			Selectable<VitalReadingTable>,
			| 'id'
			| 'dosing_session_id'
			| 'timepoint_minutes'
			| 'timepoint_label'
			| 'measured_at'
			| 'systolic'
			| 'diastolic'
			| 'heart_rate'
			| 'temperature_c'
			| 'temperature_value'
			| 'temperature_unit'
			| 'position'
			| 'not_done_reason'
		> {
	study_id: number;
	t0: string;
}

export type VsKey = [sessionId: number, measuredAt: string, id: number];

/** Readings in effect of sessions in effect; a session is in the period when its T0 is. */
function baseQuery(db: Executor, scope: ExportScope) {
	return db
		.selectFrom('vital_reading as vr')
		.innerJoin('dosing_session as ds', 'ds.id', 'vr.dosing_session_id')
		.innerJoin('participant as p', 'p.id', 'vr.participant_id')
		.where('vr.entered_in_error_at', 'is', null)
		.where('ds.entered_in_error_at', 'is', null)
		.where('p.entered_in_error_at', 'is', null)
		.where(siteIn('vr.site_id', scope.siteIds))
		.where(inStudy('p.study_id', scope))
		.where(withinDays('ds.t0', scope));
}

/** A reading's own columns; the rest of VsSource is its session's (SessionSource). */
type ReadingSource = Omit<VsSource, keyof Omit<SessionSource, 'id'>>;

/** What a page's readings share with their session: read once per session, not per reading. */
export type SessionSource = Pick<
	VsSource,
	| 'study_id'
	| 't0'
	| 'subject_code'
	| 'study_code'
	| 'visit_label'
	| 'visit_number'
	| 'session_number'
	| 'planned_before'
	| 'first_dose_at'
> & { id: number };

/**
 * The sessions of one page in one query, with their subject, visit, the planned visit before and
 * the subject's first dose. Joined and computed per reading, these were most of reading VS.
 */
async function sessionsOf(db: Executor, ids: number[]): Promise<Map<number, SessionSource>> {
	const rows = await db
		.selectFrom('dosing_session as ds')
		.innerJoin('participant as p', 'p.id', 'ds.participant_id')
		.innerJoin('study as s', 's.id', 'p.study_id')
		.leftJoin('visit as v', 'v.id', 'ds.visit_id')
		.select(['ds.id', 'p.study_id', 'ds.t0', ...sessionContextColumns()])
		.where('ds.id', 'in', ids)
		.execute();
	return new Map(rows.map((r) => [Number(r.id), r]));
}

/** A reading of VS with its session, the one object every reading of that session shares. */
export type VsReading = ReadingSource & { session: SessionSource };

export async function vsPage(
	db: Executor,
	scope: ExportScope,
	after: VsKey | null,
	limit: number
): Promise<VsReading[]> {
	const readings = (await readingsPage(db, scope, after, limit)) as VsReading[];
	if (readings.length === 0) return [];
	const sessions = await sessionsOf(db, [...new Set(readings.map((r) => r.dosing_session_id))]);
	// Each reading points at its session (one property) rather than copying the session's nine
	// columns into a new object per reading: the copies were a fifth of reading VS (profile).
	for (const r of readings) r.session = sessions.get(r.dosing_session_id)!;
	return readings;
}

/** The readings of one page; the session, participant and study joins only filter. */
function readingsPage(
	db: Executor,
	scope: ExportScope,
	after: VsKey | null,
	limit: number
): Promise<ReadingSource[]> {
	return baseQuery(db, scope)
		.select([
			'vr.id',
			'vr.dosing_session_id',
			'vr.timepoint_minutes',
			'vr.timepoint_label',
			'vr.measured_at',
			'vr.systolic',
			'vr.diastolic',
			'vr.heart_rate',
			'vr.temperature_c',
			'vr.temperature_value',
			'vr.temperature_unit',
			'vr.position',
			'vr.not_done_reason'
		])
		.$if(after !== null, (q) =>
			q.where(
				sql<boolean>`(vr.dosing_session_id, vr.measured_at, vr.id) > (${after![0]}, ${after![1]}, ${after![2]})`
			)
		)
		.orderBy('vr.dosing_session_id')
		.orderBy('vr.measured_at')
		.orderBy('vr.id')
		.limit(limit)
		.execute();
}

/** Rows VS will have: one per measure taken, and one (VSALL) per reading not done. */
export async function countVs(db: Executor, scope: ExportScope): Promise<number> {
	const row = await baseQuery(db, scope)
		.select(
			sql<number>`coalesce(sum(${oneIf(sql`vr.systolic is not null`)} + ${oneIf(sql`vr.diastolic is not null`)}
				+ ${oneIf(sql`vr.heart_rate is not null`)} + ${oneIf(sql`vr.temperature_c is not null`)}
				+ ${oneIf(sql`vr.not_done_reason is not null`)}), 0)`.as('n')
		)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}
