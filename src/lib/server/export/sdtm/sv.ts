// SDTM SV (Subject Visits): one row per planned visit that took place (SVOCCUR Y, with its date)
// or was missed (SVOCCUR N, with the reason), then one per unplanned visit: a dosing session
// recorded without a planned visit (SVPRESP null, decimal VISITNUM, SVUPDES). Visits still ahead
// are not yet records.
import { SV, studyDay, unplannedVisit, type SdtmRow } from '../../../domain/sdtm';
import type { Executor } from '../../db';
import { inStudy, keysetPages, siteIn, withinDays, type ExportScope } from '../pages';
import { dtc, firstDoseOf, sessionSubjectColumns, type SubjectKeys, usubjid } from './common';

export type SvRow = SdtmRow<(typeof SV.variables)[number]['name']>;

interface SvSource extends SubjectKeys {
	id: number;
	label: string;
	sequence: number;
	planned_on: string | null;
	actual_on: string | null;
	status: string;
	missed_reason: string | null;
	first_dose_at: string | null;
}

/** Visits done or missed; a period filter takes the visit's date (actual, else planned). */
function baseQuery(db: Executor, scope: ExportScope) {
	let q = db
		.selectFrom('visit as v')
		.crossJoin('participant as p')
		.whereRef('p.id', '=', 'v.participant_id')
		.where('v.entered_in_error_at', 'is', null)
		.where('p.entered_in_error_at', 'is', null)
		.where('v.status', 'in', ['completed', 'missed'])
		.where(siteIn('v.site_id', scope.siteIds))
		.where(inStudy('p.study_id', scope));
	if (scope.from || scope.to) {
		q = q.where((eb) =>
			eb.or([
				eb.and([eb('v.actual_on', 'is not', null), withinDays('v.actual_on', scope)]),
				eb.and([eb('v.actual_on', 'is', null), withinDays('v.planned_on', scope)])
			])
		);
	}
	return q;
}

export function svPage(db: Executor, scope: ExportScope, after: number | null, limit: number) {
	return baseQuery(db, scope)
		.crossJoin('study as s')
		.whereRef('s.id', '=', 'p.study_id')
		.select([
			'v.id',
			'v.label',
			'v.sequence',
			'v.planned_on',
			'v.actual_on',
			'v.status',
			'v.missed_reason',
			'p.subject_code',
			's.code as study_code',
			firstDoseOf('p.id').as('first_dose_at')
		])
		.$if(after !== null, (q) => q.where('v.id', '>', after!))
		.orderBy('v.id')
		.limit(limit)
		.execute() as Promise<SvSource[]>;
}

/** Sessions in effect recorded without a planned visit; a period filter takes their T0. */
function unplannedQuery(db: Executor, scope: ExportScope) {
	return db
		.selectFrom('dosing_session as ds')
		.crossJoin('participant as p')
		.whereRef('p.id', '=', 'ds.participant_id')
		.where('ds.visit_id', 'is', null)
		.where('ds.entered_in_error_at', 'is', null)
		.where('p.entered_in_error_at', 'is', null)
		.where(siteIn('ds.site_id', scope.siteIds))
		.where(inStudy('p.study_id', scope))
		.where(withinDays('ds.t0', scope));
}

interface UnplannedSource extends SubjectKeys {
	id: number;
	session_number: number;
	t0: string;
	ended_at: string | null;
	initial_dose_mg: number;
	planned_before: number | null;
	first_dose_at: string | null;
}

export function unplannedPage(
	db: Executor,
	scope: ExportScope,
	after: number | null,
	limit: number
) {
	return unplannedQuery(db, scope)
		.crossJoin('study as s')
		.whereRef('s.id', '=', 'p.study_id')
		.select(['ds.id', 'ds.t0', 'ds.ended_at', 'ds.initial_dose_mg', ...sessionSubjectColumns()])
		.$if(after !== null, (q) => q.where('ds.id', '>', after!))
		.orderBy('ds.id')
		.limit(limit)
		.execute() as Promise<UnplannedSource[]>;
}

export async function countSv(db: Executor, scope: ExportScope): Promise<number> {
	const planned = await baseQuery(db, scope)
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.executeTakeFirstOrThrow();
	const unplanned = await unplannedQuery(db, scope)
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.executeTakeFirstOrThrow();
	return Number(planned.n) + Number(unplanned.n);
}

function toSv(v: SvSource): SvRow {
	const rfstdtc = dtc(v.first_dose_at);
	const occurred = v.status === 'completed';
	const date = occurred ? dtc(v.actual_on) : null;
	return {
		STUDYID: v.study_code,
		DOMAIN: 'SV',
		USUBJID: usubjid(v),
		VISITNUM: v.sequence,
		VISIT: v.label,
		VISITDY: studyDay(v.planned_on, rfstdtc),
		SVPRESP: 'Y', // every Vigil visit comes from the protocol's schedule
		SVOCCUR: occurred ? 'Y' : 'N',
		SVREASOC: occurred ? null : v.missed_reason,
		SVSTDTC: date,
		SVENDTC: date, // a visit is one day
		SVSTDY: studyDay(date, rfstdtc),
		SVENDY: studyDay(date, rfstdtc),
		SVUPDES: null
	};
}

/** An unplanned visit: the day of the session (UTC), from T0 to its end. */
function toUnplannedSv(s: UnplannedSource): SvRow {
	const rfstdtc = dtc(s.first_dose_at);
	const start = s.t0.slice(0, 10);
	const end = (s.ended_at ?? s.t0).slice(0, 10);
	const planned = s.planned_before === null ? null : Number(s.planned_before);
	return {
		STUDYID: s.study_code,
		DOMAIN: 'SV',
		USUBJID: usubjid(s),
		...unplannedVisit(planned, s.session_number),
		VISITDY: null,
		SVPRESP: null,
		SVOCCUR: null,
		SVREASOC: null,
		SVSTDTC: start,
		SVENDTC: end,
		SVSTDY: studyDay(start, rfstdtc),
		SVENDY: studyDay(end, rfstdtc),
		SVUPDES:
			`Dosing session ${s.session_number} (initial dose ${Number(s.initial_dose_mg)} mg) ` +
			'recorded without a planned visit'
	};
}

export async function* svRows(db: Executor, scope: ExportScope): AsyncGenerator<SvRow> {
	const pages = keysetPages(
		(after: number | null, limit) => svPage(db, scope, after, limit),
		(last) => last.id,
		scope.pageSize
	);
	for await (const page of pages) yield* page.map(toSv);
	const unplanned = keysetPages(
		(after: number | null, limit) => unplannedPage(db, scope, after, limit),
		(last) => last.id,
		scope.pageSize
	);
	for await (const page of unplanned) yield* page.map(toUnplannedSv);
}
