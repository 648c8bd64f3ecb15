// Aggregates for a site's overview page, counted in SQL at one site. Records entered in error, and
// those of participants entered in error, are never counted.
import type { Expression, SqlBool } from 'kysely';
import type { Executor } from '../db';
import type { VitalReading } from '../db/schema';
import { OPEN_FLAG_STATUSES } from './flags';

export interface SiteSessionRow {
	id: number;
	participant_id: number;
	subject_code: string;
	study_id: number;
	session_number: number;
	t0: string;
	ended_at: string | null;
}

/**
 * Sessions at the site with T0 in [from, to), and sessions still running that began in
 * [carryFrom, from) (a session past midnight), earliest first.
 */
export function sessionsOfDay(
	db: Executor,
	siteId: number,
	w: { from: string; to: string; carryFrom: string }
): Promise<SiteSessionRow[]> {
	return db
		.selectFrom('dosing_session as s')
		.innerJoin('participant as p', 'p.id', 's.participant_id')
		.select([
			's.id',
			's.participant_id',
			'p.subject_code',
			'p.study_id',
			's.session_number',
			's.t0',
			's.ended_at'
		])
		.where('s.site_id', '=', siteId)
		.where('s.entered_in_error_at', 'is', null)
		.where('p.entered_in_error_at', 'is', null)
		.where((eb) =>
			eb.or([
				eb.and([eb('s.t0', '>=', w.from), eb('s.t0', '<', w.to)]),
				eb.and([
					eb('s.t0', '>=', w.carryFrom),
					eb('s.t0', '<', w.from),
					eb('s.ended_at', 'is', null)
				])
			])
		)
		.orderBy('s.t0')
		.execute();
}

/**
 * The scheduled readings in effect of these sessions (for which timepoints are done, due or late).
 * Rechecks (UNSCHEDULED) answer no timepoint (`dueReadings` matches a reading by its timepoint
 * number, and a recheck has none), so they are not read: a session watched closely can hold
 * hundreds of them, and reading them cost the overview most of its time.
 */
export function readingsOfSessions(db: Executor, sessionIds: number[]): Promise<VitalReading[]> {
	if (sessionIds.length === 0) return Promise.resolve([]);
	return db
		.selectFrom('vital_reading')
		.selectAll()
		.where('dosing_session_id', 'in', sessionIds)
		.where('entered_in_error_at', 'is', null)
		.where('timepoint_label', '!=', 'UNSCHEDULED')
		.orderBy('measured_at')
		.execute();
}

export interface LevelCount {
	level: string;
	n: number;
}

/** Open (not closed) flags of these sessions, counted by session and level. */
export function openFlagsBySession(
	db: Executor,
	sessionIds: number[]
): Promise<Array<LevelCount & { session_id: number }>> {
	if (sessionIds.length === 0) return Promise.resolve([]);
	return db
		.selectFrom('flag')
		.select((eb) => ['dosing_session_id as session_id', 'level', eb.fn.countAll<number>().as('n')])
		.where('dosing_session_id', 'in', sessionIds)
		.where('status', '!=', 'closed')
		.groupBy(['dosing_session_id', 'level'])
		.$narrowType<{ session_id: number }>()
		.execute();
}

/** Open flags at the site by level. */
export function openFlagsByLevel(db: Executor, siteId: number): Promise<LevelCount[]> {
	return (
		db
			.selectFrom('flag')
			.innerJoin('participant as p', 'p.id', 'flag.participant_id')
			.select((eb) => ['flag.level', eb.fn.countAll<number>().as('n')])
			.where('flag.site_id', '=', siteId)
			// The open statuses by name, not "not closed": a list the (site, status) index can seek,
			// where "!=" walked every flag the site ever raised.
			.where('flag.status', 'in', [...OPEN_FLAG_STATUSES])
			.where('p.entered_in_error_at', 'is', null)
			.groupBy('flag.level')
			.execute()
	);
}

/** Participants at the site by status (screening, enrolled, withdrawn, completed). */
export function participantsByStatus(
	db: Executor,
	siteId: number
): Promise<Array<{ status: string; n: number }>> {
	return db
		.selectFrom('participant')
		.select((eb) => ['status', eb.fn.countAll<number>().as('n')])
		.where('site_id', '=', siteId)
		.where('entered_in_error_at', 'is', null)
		.groupBy('status')
		.execute();
}

export interface VisitCounts {
	done: number;
	missed: number;
	overdue: number;
	upcoming: number;
}

/**
 * Visits at the site: done, missed, and — for participants still on study — overdue (window
 * closed before `today`, the site's date) or upcoming (window not yet closed).
 */
export async function visitCompletion(
	db: Executor,
	siteId: number,
	today: string
): Promise<VisitCounts> {
	const row = await db
		.selectFrom('visit as v')
		.innerJoin('participant as p', 'p.id', 'v.participant_id')
		.where('v.site_id', '=', siteId)
		.where('v.entered_in_error_at', 'is', null)
		.where('p.entered_in_error_at', 'is', null)
		.select((eb) => {
			const open = eb.and([eb('v.status', '=', 'scheduled'), eb('p.status', '=', 'enrolled')]);
			const count = (when: Expression<SqlBool>) =>
				eb.fn.sum<number>(eb.case().when(when).then(1).else(0).end());
			return [
				count(eb('v.status', '=', 'completed')).as('done'),
				count(eb('v.status', '=', 'missed')).as('missed'),
				count(eb.and([open, eb('v.window_end', '<', today)])).as('overdue'),
				count(
					eb.and([open, eb.or([eb('v.window_end', '>=', today), eb('v.window_end', 'is', null)])])
				).as('upcoming')
			];
		})
		.executeTakeFirst();
	return {
		done: Number(row?.done ?? 0),
		missed: Number(row?.missed ?? 0),
		overdue: Number(row?.overdue ?? 0),
		upcoming: Number(row?.upcoming ?? 0)
	};
}

export interface ScheduledReadingRow {
	study_id: number;
	t0: string;
	ended_at: string | null;
	timepoint_minutes: number | null;
	timepoint_label: string;
	measured_at: string;
}

/**
 * Scheduled readings measured at the site since `since` (not rechecks, not "not done", none
 * entered in error), with their session's T0 and end, for the on-time rate.
 */
export function scheduledReadingsSince(
	db: Executor,
	siteId: number,
	since: string
): Promise<ScheduledReadingRow[]> {
	return db
		.selectFrom('vital_reading as r')
		.innerJoin('dosing_session as s', 's.id', 'r.dosing_session_id')
		.innerJoin('participant as p', 'p.id', 's.participant_id')
		.select(['p.study_id', 's.t0', 's.ended_at', 'r.timepoint_minutes', 'r.timepoint_label'])
		.select('r.measured_at')
		.where('r.site_id', '=', siteId)
		.where('r.measured_at', '>=', since)
		.where('r.timepoint_label', '!=', 'UNSCHEDULED')
		.where('r.not_done_reason', 'is', null)
		.where('r.entered_in_error_at', 'is', null)
		.where('s.entered_in_error_at', 'is', null)
		.where('p.entered_in_error_at', 'is', null)
		.execute();
}
