// SDTM QS (Questionnaires): one row per answered item of each administration in effect, and one
// row for the total of a complete scored administration (an incomplete one has no total).
import { sql } from 'kysely';
import { isScaleId, type ScaleId } from '../../../domain/scales';
import type { Executor } from '../../db';
import { SCALE_LABELS } from '../../../domain/scales';
import { inStudy, keysetPages, siteIn, withinDays, type ExportScope } from '../pages';
import { dtc, identifiers, IDENTIFIERS, SequenceBySubject, type SubjectKeys } from './common';
import { scaleItems, TOTAL_TEST_CODES } from './qs-items';

export const QS_COLUMNS = [
	...IDENTIFIERS,
	'QSSEQ',
	'QSTESTCD',
	'QSTEST',
	'QSCAT',
	'QSORRES',
	'QSSTRESC',
	'QSSTRESN',
	'VISITNUM',
	'VISIT',
	'QSDTC',
	'QSEVLINT'
] as const;
export type QsRow = Record<(typeof QS_COLUMNS)[number], string | number>;

interface QsSource extends SubjectKeys {
	id: number;
	instrument: string;
	administered_at: string;
	answers: string;
	complete: number;
	total: number | null;
	visit_label: string | null;
	visit_number: number | null;
}

function baseQuery(db: Executor, scope: ExportScope) {
	return db
		.selectFrom('scale_administration as sa')
		.innerJoin('participant as p', 'p.id', 'sa.participant_id')
		.where('sa.entered_in_error_at', 'is', null)
		.where('p.entered_in_error_at', 'is', null)
		.where(siteIn('sa.site_id', scope.siteIds))
		.where(inStudy('p.study_id', scope))
		.where(withinDays('sa.administered_at', scope));
}

export function qsPage(
	db: Executor,
	scope: ExportScope,
	after: number | null,
	limit: number
): Promise<QsSource[]> {
	return baseQuery(db, scope)
		.innerJoin('study as s', 's.id', 'p.study_id')
		.innerJoin('site as st', 'st.id', 'sa.site_id')
		.leftJoin('visit as v', 'v.id', 'sa.visit_id')
		.select([
			'sa.id',
			'sa.instrument',
			'sa.administered_at',
			'sa.answers',
			'sa.complete',
			'sa.total',
			'p.subject_code',
			's.code as study_code',
			'st.code as site_code',
			'v.label as visit_label',
			'v.sequence as visit_number'
		])
		.$if(after !== null, (q) => q.where('sa.id', '>', after!))
		.orderBy('sa.id')
		.limit(limit)
		.execute();
}

/** Answered items plus totals: what QS will hold. */
export async function countQs(db: Executor, scope: ExportScope): Promise<number> {
	const row = await baseQuery(db, scope)
		.select(
			sql<number>`coalesce(sum((select count(*) from json_each(sa.answers) j
				where j.value is not null and j.value != '')
				+ (sa.complete = 1 and sa.total is not null)), 0)`.as('n')
		)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

function administrationRows(a: QsSource, instrument: ScaleId, seq: SequenceBySubject): QsRow[] {
	const ids = identifiers('QS', a);
	const answers = JSON.parse(a.answers) as Record<string, unknown>;
	const common = {
		QSCAT: SCALE_LABELS[instrument], // the instrument, as Vigil names it on every page
		VISITNUM: a.visit_number ?? '',
		VISIT: a.visit_label ?? '',
		QSDTC: dtc(a.administered_at),
		QSEVLINT: '' // the recall period is the instrument's, not recorded per administration
	};
	const rows: QsRow[] = [];
	const add = (code: string, test: string, original: string, numeric: number | null) =>
		rows.push({
			...ids,
			QSSEQ: seq.next(ids.USUBJID),
			QSTESTCD: code, // item test codes per DOMAIN.md §4 and the CDISC QRS supplements
			QSTEST: test,
			...common,
			QSORRES: original,
			QSSTRESC: numeric === null ? original : String(numeric),
			QSSTRESN: numeric ?? ''
		});
	for (const item of scaleItems(instrument)) {
		const result = item.read(answers[item.key]);
		if (result) add(item.testCode, item.label, result.original, result.numeric);
	}
	if (instrument !== 'CSSRS' && a.complete === 1 && a.total !== null) {
		const name = `${SCALE_LABELS[instrument]} Total Score`;
		add(TOTAL_TEST_CODES[instrument], name, String(a.total), a.total);
	}
	return rows;
}

export async function* qsRows(db: Executor, scope: ExportScope): AsyncGenerator<QsRow> {
	const seq = new SequenceBySubject();
	const pages = keysetPages(
		(after: number | null, limit) => qsPage(db, scope, after, limit),
		(last) => last.id,
		scope.pageSize
	);
	for await (const page of pages) {
		for (const a of page) {
			if (isScaleId(a.instrument)) yield* administrationRows(a, a.instrument, seq);
		}
	}
}
