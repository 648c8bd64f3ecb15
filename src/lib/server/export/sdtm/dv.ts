// SDTM DV (Protocol Deviations): one row per deviation in effect, found by a rule of Vigil and
// confirmed, or recorded by a person (DOMAIN-2.md §7). DVCAT is the category; the ICH E3
// "important" marker, which DV has no variable for, is DVSCAT and the SUPPDV qualifier DVIMPT
// (both defined in define.xml), with the rule that found it as DVRULE.
import {
	DV,
	DV_IMPORTANCE,
	DV_QUALIFIERS,
	studyDay,
	type SdtmRow,
	type SuppRow
} from '../../../domain/sdtm';
import type { Executor } from '../../db';
import { inStudy, keysetPages, siteIn, withinDays, type ExportScope } from '../pages';
import { dtc, firstDoseOf, identifiers, SequenceBySubject, type SubjectKeys } from './common';

export type DvRow = SdtmRow<(typeof DV.variables)[number]['name']>;

interface DvSource extends SubjectKeys {
	id: number;
	category: string;
	description: string;
	important: number | boolean;
	rule_id: string | null;
	occurred_at: string;
	visit_label: string | null;
	visit_number: number | null;
	first_dose_at: string | null;
}

/** Deviations in effect of participants in effect; a period filter takes when it happened. */
function baseQuery(db: Executor, scope: ExportScope) {
	return db
		.selectFrom('protocol_deviation as d')
		.crossJoin('participant as p')
		.whereRef('p.id', '=', 'd.participant_id')
		.where('d.entered_in_error_at', 'is', null)
		.where('p.entered_in_error_at', 'is', null)
		.where(siteIn('d.site_id', scope.siteIds))
		.where(inStudy('p.study_id', scope))
		.where(withinDays('d.occurred_at', scope));
}

export function dvPage(db: Executor, scope: ExportScope, after: number | null, limit: number) {
	return baseQuery(db, scope)
		.crossJoin('study as s')
		.whereRef('s.id', '=', 'p.study_id')
		.leftJoin('visit as v', 'v.id', 'd.visit_id')
		.select([
			'd.id',
			'd.category',
			'd.description',
			'd.important',
			'd.rule_id',
			'd.occurred_at',
			'v.label as visit_label',
			'v.sequence as visit_number',
			'p.subject_code',
			's.code as study_code',
			firstDoseOf('p.id').as('first_dose_at')
		])
		.$if(after !== null, (q) => q.where('d.id', '>', after!))
		.orderBy('d.id')
		.limit(limit)
		.execute() as Promise<DvSource[]>;
}

export async function countDv(db: Executor, scope: ExportScope): Promise<number> {
	const row = await baseQuery(db, scope)
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

function toDv(d: DvSource, seq: SequenceBySubject): DvRow {
	const ids = identifiers('DV', d);
	const dvstdtc = dtc(d.occurred_at);
	return {
		STUDYID: ids.STUDYID,
		DOMAIN: ids.DOMAIN,
		USUBJID: ids.USUBJID,
		DVSEQ: seq.next(ids.USUBJID),
		DVSPID: `DV-${d.id}`,
		DVTERM: d.description,
		DVCAT: d.category,
		DVSCAT: Number(d.important) === 1 ? DV_IMPORTANCE.important : DV_IMPORTANCE.notImportant,
		VISITNUM: d.visit_number,
		VISIT: d.visit_label,
		DVSTDTC: dvstdtc,
		DVSTDY: studyDay(dvstdtc, dtc(d.first_dose_at))
	};
}

const [IMPORTANT, RULE] = DV_QUALIFIERS;

/** The SUPPDV records of one DV record: its importance, and the rule that found it if any. */
function qualifiersOf(row: DvRow, d: DvSource): SuppRow[] {
	const qualifier = (q: typeof IMPORTANT | typeof RULE, value: string): SuppRow => ({
		STUDYID: row.STUDYID,
		RDOMAIN: 'DV',
		USUBJID: row.USUBJID,
		IDVAR: 'DVSEQ',
		IDVARVAL: String(row.DVSEQ),
		QNAM: q.name,
		QLABEL: q.label,
		QVAL: value,
		QORIG: q.origin.type,
		QEVAL: null
	});
	const out = [qualifier(IMPORTANT, Number(d.important) === 1 ? 'Y' : 'N')];
	if (d.rule_id) out.push(qualifier(RULE, d.rule_id));
	return out;
}

/** Each DV record with its SUPPDV qualifiers, in the order DVSEQ numbers them. */
export async function* dvRecords(
	db: Executor,
	scope: ExportScope
): AsyncGenerator<{ row: DvRow; qualifiers: SuppRow[] }> {
	const seq = new SequenceBySubject();
	const pages = keysetPages(
		(after: number | null, limit) => dvPage(db, scope, after, limit),
		(last) => last.id,
		scope.pageSize
	);
	for await (const page of pages) {
		for (const d of page) {
			const row = toDv(d, seq);
			yield { row, qualifiers: qualifiersOf(row, d) };
		}
	}
}

export async function* dvRows(db: Executor, scope: ExportScope): AsyncGenerator<DvRow> {
	for await (const r of dvRecords(db, scope)) yield r.row;
}
