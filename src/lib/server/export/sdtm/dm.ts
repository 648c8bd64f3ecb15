// SDTM DM (Demographics): one row per participant not entered in error, read in keyset pages.
import { sql } from 'kysely';
import type { Executor } from '../../db';
import { inStudy, keysetPages, siteIn, withinDays, type ExportScope } from '../pages';
import { dtc, identifiers, IDENTIFIERS, type SubjectKeys } from './common';

export const DM_COLUMNS = [
	...IDENTIFIERS,
	'RFSTDTC',
	'RFICDTC',
	'BRTHDTC',
	'SEX',
	'ARM',
	'ACTARM',
	'COUNTRY',
	'DMDTC'
] as const;
export type DmRow = Record<(typeof DM_COLUMNS)[number], string>;

interface DmSource extends SubjectKeys {
	id: number;
	sex: string;
	birth_year: number;
	dose_group: string;
	enrolled_on: string | null;
	created_at: string;
	first_dose_at: string | null;
}

function baseQuery(db: Executor, scope: ExportScope) {
	let q = db
		.selectFrom('participant as p')
		.innerJoin('study as s', 's.id', 'p.study_id')
		.innerJoin('site as st', 'st.id', 'p.site_id')
		.where('p.entered_in_error_at', 'is', null)
		.where(siteIn('p.site_id', scope.siteIds))
		.where(inStudy('p.study_id', scope));
	if (scope.from || scope.to) q = q.where(withinDays('p.enrolled_on', scope));
	return q;
}

/** One page of participants after `after` (by id), with the first dose of each. */
export function dmPage(db: Executor, scope: ExportScope, after: number | null, limit: number) {
	return baseQuery(db, scope)
		.select([
			'p.id',
			'p.subject_code',
			'p.sex',
			'p.birth_year',
			'p.dose_group',
			'p.enrolled_on',
			'p.created_at',
			's.code as study_code',
			'st.code as site_code'
		])
		.select(
			sql<string | null>`(select min(ds.t0) from dosing_session ds
				where ds.participant_id = p.id and ds.entered_in_error_at is null)`.as('first_dose_at')
		)
		.$if(after !== null, (q) => q.where('p.id', '>', after!))
		.orderBy('p.id')
		.limit(limit)
		.execute() as Promise<DmSource[]>;
}

export async function countDm(db: Executor, scope: ExportScope): Promise<number> {
	const row = await baseQuery(db, scope)
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

function toDm(p: DmSource): DmRow {
	return {
		...identifiers('DM', p),
		RFSTDTC: dtc(p.first_dose_at), // SDTMIG DM: reference start = first study drug exposure (T0)
		RFICDTC: dtc(p.enrolled_on), // enrolment date, the consent milestone Vigil records
		BRTHDTC: String(p.birth_year), // ISO 8601 reduced precision: year of birth only is collected
		SEX: p.sex, // CDISC CT SEX (C66731), stored as submitted
		ARM: p.dose_group, // planned arm = protocol dose group
		ACTARM: p.first_dose_at ? p.dose_group : 'Not Treated', // SDTMIG DM: no exposure → Not Treated
		COUNTRY: '', // sites carry no country yet
		DMDTC: dtc(p.created_at) // date the demographics were recorded
	};
}

export async function* dmRows(db: Executor, scope: ExportScope): AsyncGenerator<DmRow> {
	const pages = keysetPages(
		(after: number | null, limit) => dmPage(db, scope, after, limit),
		(last) => last.id,
		scope.pageSize
	);
	for await (const page of pages) yield* page.map(toDm);
}
