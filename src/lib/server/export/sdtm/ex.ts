// SDTM EX (Exposure): one row per administration, the initial dose of each dosing session and its
// supplemental dose when one was given, unmasked (SDTMIG EX; DOMAIN-2.md §10).
import { sql } from 'kysely';
import { EX, studyDay, type SdtmRow } from '../../../domain/sdtm';
import type { Executor } from '../../db';
import { inStudy, keysetPages, siteIn, withinDays, type ExportScope } from '../pages';
import {
	dtc,
	identifiers,
	SequenceBySubject,
	sessionContextColumns,
	sessionVisit,
	type SessionContext
} from './common';

export type ExRow = SdtmRow<(typeof EX.variables)[number]['name']>;

/**
 * The study treatment as given: MDMA (midomafetamine) by mouth in capsules, doses in mg (MAPP1/2
 * methods, DOMAIN.md §1). Placebo and blinded arms come with randomisation.
 */
export const TREATMENT = { EXTRT: 'MDMA', EXDOSU: 'mg', EXDOSFRM: 'CAPSULE', EXROUTE: 'ORAL' };

interface ExSource extends SessionContext {
	id: number;
	t0: string;
	initial_dose_mg: number;
	supplemental_dose_mg: number | null;
	supplemental_at: string | null;
}

function baseQuery(db: Executor, scope: ExportScope) {
	return db
		.selectFrom('dosing_session as ds')
		.crossJoin('participant as p')
		.whereRef('p.id', '=', 'ds.participant_id')
		.where('ds.entered_in_error_at', 'is', null)
		.where('p.entered_in_error_at', 'is', null)
		.where(siteIn('ds.site_id', scope.siteIds))
		.where(inStudy('p.study_id', scope))
		.where(withinDays('ds.t0', scope));
}

export function exPage(db: Executor, scope: ExportScope, after: number | null, limit: number) {
	return baseQuery(db, scope)
		.crossJoin('study as s')
		.whereRef('s.id', '=', 'p.study_id')
		.leftJoin('visit as v', 'v.id', 'ds.visit_id')
		.select([
			'ds.id',
			'ds.t0',
			'ds.initial_dose_mg',
			'ds.supplemental_dose_mg',
			'ds.supplemental_at',
			...sessionContextColumns()
		])
		.$if(after !== null, (q) => q.where('ds.id', '>', after!))
		.orderBy('ds.id')
		.limit(limit)
		.execute() as Promise<ExSource[]>;
}

/** Initial doses plus supplemental doses given. */
export async function countEx(db: Executor, scope: ExportScope): Promise<number> {
	const row = await baseQuery(db, scope)
		.select(
			sql<number>`coalesce(sum(1 + (case when ds.supplemental_dose_mg is not null
				and ds.supplemental_at is not null then 1 else 0 end)), 0)`.as('n')
		)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

function sessionRows(s: ExSource, seq: SequenceBySubject): ExRow[] {
	const ids = identifiers('EX', s);
	const rfstdtc = dtc(s.first_dose_at);
	const dose = (mg: number, at: string, tpt: string): ExRow => {
		const time = dtc(at);
		const day = studyDay(time, rfstdtc);
		return {
			STUDYID: ids.STUDYID,
			DOMAIN: ids.DOMAIN,
			USUBJID: ids.USUBJID,
			EXSEQ: seq.next(ids.USUBJID),
			...TREATMENT,
			EXDOSE: mg,
			...sessionVisit(s),
			EXSTDTC: time,
			EXENDTC: time, // one oral dose: taken at once
			EXSTDY: day,
			EXENDY: day,
			EXTPT: tpt
		};
	};
	const rows = [dose(s.initial_dose_mg, s.t0, 'INITIAL DOSE')];
	if (s.supplemental_dose_mg !== null && s.supplemental_at !== null) {
		rows.push(dose(s.supplemental_dose_mg, s.supplemental_at, 'SUPPLEMENTAL DOSE'));
	}
	return rows;
}

export async function* exRows(db: Executor, scope: ExportScope): AsyncGenerator<ExRow> {
	const seq = new SequenceBySubject();
	const pages = keysetPages(
		(after: number | null, limit) => exPage(db, scope, after, limit),
		(last) => last.id,
		scope.pageSize
	);
	for await (const page of pages) for (const s of page) yield* sessionRows(s, seq);
}
