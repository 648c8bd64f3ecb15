// SDTM SV (Subject Visits): one row per planned visit that took place (SVOCCUR Y, with its date)
// or was missed (SVOCCUR N, with the reason). Visits still ahead are not yet records.
import { SV, studyDay, type SdtmRow } from '../../../domain/sdtm';
import type { Executor } from '../../db';
import { inStudy, keysetPages, siteIn, withinDays, type ExportScope } from '../pages';
import { dtc, firstDoseOf, identifiers, type SubjectKeys } from './common';

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
		.innerJoin('participant as p', 'p.id', 'v.participant_id')
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
		.innerJoin('study as s', 's.id', 'p.study_id')
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

export async function countSv(db: Executor, scope: ExportScope): Promise<number> {
	const row = await baseQuery(db, scope)
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

function toSv(v: SvSource): SvRow {
	const rfstdtc = dtc(v.first_dose_at);
	const occurred = v.status === 'completed';
	const date = occurred ? dtc(v.actual_on) : null;
	return {
		...identifiers('SV', v),
		VISITNUM: v.sequence,
		VISIT: v.label,
		VISITDY: studyDay(v.planned_on, rfstdtc),
		SVPRESP: 'Y', // every Vigil visit comes from the protocol's schedule
		SVOCCUR: occurred ? 'Y' : 'N',
		SVREASOC: occurred ? null : v.missed_reason,
		SVSTDTC: date,
		SVENDTC: date, // a visit is one day
		SVSTDY: studyDay(date, rfstdtc),
		SVENDY: studyDay(date, rfstdtc)
	};
}

export async function* svRows(db: Executor, scope: ExportScope): AsyncGenerator<SvRow> {
	const pages = keysetPages(
		(after: number | null, limit) => svPage(db, scope, after, limit),
		(last) => last.id,
		scope.pageSize
	);
	for await (const page of pages) yield* page.map(toSv);
}
