// SDTM CM (Concomitant/Prior Medications): one row per medication recorded and in effect, as
// entered (partial ISO 8601 dates allowed; DOMAIN-2.md §4). CMDECOD is left out: WHODrug, the
// dictionary it needs, is licensed.
import { CM, studyDay, type SdtmRow } from '../../../domain/sdtm';
import type { Executor } from '../../db';
import { inStudy, keysetPages, siteIn, withinDays, type ExportScope } from '../pages';
import { dtc, firstDoseOf, identifiers, SequenceBySubject, type SubjectKeys } from './common';

export type CmRow = SdtmRow<(typeof CM.variables)[number]['name']>;

interface CmSource extends SubjectKeys {
	id: number;
	name: string;
	atc_code: string | null;
	atc_class: string | null;
	indication: string | null;
	dose: number | null;
	dose_unit: string | null;
	frequency: string | null;
	route: string | null;
	start_date: string;
	stop_date: string | null;
	first_dose_at: string | null;
}

function baseQuery(db: Executor, scope: ExportScope) {
	return db
		.selectFrom('concomitant_medication as cm')
		.crossJoin('participant as p')
		.whereRef('p.id', '=', 'cm.participant_id')
		.where('cm.entered_in_error_at', 'is', null)
		.where('p.entered_in_error_at', 'is', null)
		.where(siteIn('cm.site_id', scope.siteIds))
		.where(inStudy('p.study_id', scope))
		.where(withinDays('cm.start_date', scope));
}

export function cmPage(db: Executor, scope: ExportScope, after: number | null, limit: number) {
	return baseQuery(db, scope)
		.crossJoin('study as s')
		.whereRef('s.id', '=', 'p.study_id')
		.select([
			'cm.id',
			'cm.name',
			'cm.atc_code',
			'cm.atc_class',
			'cm.indication',
			'cm.dose',
			'cm.dose_unit',
			'cm.frequency',
			'cm.route',
			'cm.start_date',
			'cm.stop_date',
			'p.subject_code',
			's.code as study_code',
			firstDoseOf('p.id').as('first_dose_at')
		])
		.$if(after !== null, (q) => q.where('cm.id', '>', after!))
		.orderBy('cm.id')
		.limit(limit)
		.execute() as Promise<CmSource[]>;
}

export async function countCm(db: Executor, scope: ExportScope): Promise<number> {
	const row = await baseQuery(db, scope)
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

function toCm(m: CmSource, seq: SequenceBySubject): CmRow {
	const ids = identifiers('CM', m);
	const rfstdtc = dtc(m.first_dose_at);
	return {
		STUDYID: ids.STUDYID,
		DOMAIN: ids.DOMAIN,
		USUBJID: ids.USUBJID,
		CMSEQ: seq.next(ids.USUBJID),
		CMTRT: m.name,
		CMCLAS: m.atc_class,
		CMCLASCD: m.atc_code, // WHO ATC (DOMAIN-2.md §4)
		CMINDC: m.indication,
		CMDOSE: m.dose,
		CMDOSU: m.dose_unit,
		CMDOSFRQ: m.frequency,
		CMROUTE: m.route,
		CMSTDTC: m.start_date, // as recorded: YYYY, YYYY-MM or YYYY-MM-DD
		CMENDTC: m.stop_date,
		CMSTDY: studyDay(m.start_date, rfstdtc),
		CMENDY: studyDay(m.stop_date, rfstdtc)
	};
}

export async function* cmRows(db: Executor, scope: ExportScope): AsyncGenerator<CmRow> {
	const seq = new SequenceBySubject();
	const pages = keysetPages(
		(after: number | null, limit) => cmPage(db, scope, after, limit),
		(last) => last.id,
		scope.pageSize
	);
	for await (const page of pages) yield* page.map((m) => toCm(m, seq));
}
