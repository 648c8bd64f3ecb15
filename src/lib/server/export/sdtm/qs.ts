// SDTM QS (Questionnaires): one row per answered item of each administration in effect, and one
// row for the total of a complete scored administration (an incomplete one has no total). The
// items of one administration share QSGRPID; an item rated "not assessed" carries QSSTAT NOT DONE
// and no result, so it cannot be read as a score.
import { sql } from 'kysely';
import { isScaleId, type ScaleId } from '../../../domain/scales';
import {
	EVALUATION_INTERVALS,
	QS,
	QS_CATEGORIES,
	studyDay,
	type SdtmRow
} from '../../../domain/sdtm';
import type { Executor } from '../../db';
import { jsonFilledMembers, oneIf } from '../../db/portable';
import { SCALE_LABELS } from '../../../domain/scales';
import { inStudy, keysetPages, siteIn, withinDays, type ExportScope } from '../pages';
import { dtc, firstDoseOf, identifiers, SequenceBySubject, type SubjectKeys } from './common';
import { scaleItems, TOTAL_TEST_CODES } from './qs-items';

export type QsRow = SdtmRow<(typeof QS.variables)[number]['name']>;

interface QsSource extends SubjectKeys {
	id: number;
	instrument: string;
	administered_at: string;
	answers: string;
	complete: number;
	total: number | null;
	visit_label: string | null;
	visit_number: number | null;
	first_dose_at: string | null;
	/** The subject's last administration of this instrument before the first dose. */
	last_before_exposure: number | null;
}

function baseQuery(db: Executor, scope: ExportScope) {
	return db
		.selectFrom('scale_administration as sa')
		.crossJoin('participant as p')
		.whereRef('p.id', '=', 'sa.participant_id')
		.where('sa.entered_in_error_at', 'is', null)
		.where('p.entered_in_error_at', 'is', null)
		.where(siteIn('sa.site_id', scope.siteIds))
		.where(inStudy('p.study_id', scope))
		.where(withinDays('sa.administered_at', scope));
}

const lastBeforeExposure = sql<number | null>`(select lb.id from scale_administration lb
	where lb.participant_id = sa.participant_id and lb.instrument = sa.instrument
		and lb.entered_in_error_at is null and lb.administered_at < ${firstDoseOf('sa.participant_id')}
	order by lb.administered_at desc, lb.id desc limit 1)`;

export function qsPage(
	db: Executor,
	scope: ExportScope,
	after: number | null,
	limit: number
): Promise<QsSource[]> {
	return baseQuery(db, scope)
		.crossJoin('study as s')
		.whereRef('s.id', '=', 'p.study_id')
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
			'v.label as visit_label',
			'v.sequence as visit_number',
			firstDoseOf('p.id').as('first_dose_at'),
			lastBeforeExposure.as('last_before_exposure')
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
			sql<number>`coalesce(sum(${jsonFilledMembers(db, 'sa.answers')}
				+ ${oneIf(sql`sa.complete = 1 and sa.total is not null`)}), 0)`.as('n')
		)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

interface Result {
	code: string;
	test: string;
	original: string | null;
	numeric: number | null;
	notAssessed: boolean;
}

function resultsOf(a: QsSource, instrument: ScaleId): Result[] {
	const answers = JSON.parse(a.answers) as Record<string, unknown>;
	const results: Result[] = [];
	for (const item of scaleItems(instrument)) {
		const r = item.read(answers[item.key]);
		if (!r) continue;
		const notAssessed = r.notAssessed === true;
		results.push({
			code: item.testCode, // item test codes per DOMAIN.md §4 and the CDISC QRS supplements
			test: item.label,
			original: notAssessed ? null : r.original,
			numeric: r.numeric,
			notAssessed
		});
	}
	if (instrument !== 'CSSRS' && a.complete === 1 && a.total !== null) {
		const test = `${SCALE_LABELS[instrument]} Total Score`;
		const code = TOTAL_TEST_CODES[instrument];
		results.push({ code, test, original: String(a.total), numeric: a.total, notAssessed: false });
	}
	return results;
}

// Written out field by field, as VS rows are: spreading the identifiers into each row made the
// row's object slow to build, most of QS's time (profiled at the site tier).
function administrationRows(a: QsSource, instrument: ScaleId, seq: SequenceBySubject): QsRow[] {
	const { STUDYID, DOMAIN, USUBJID } = identifiers('QS', a);
	const qsdtc = dtc(a.administered_at);
	const qsdy = studyDay(qsdtc, dtc(a.first_dose_at));
	const grpid = `${instrument}-${a.id}`; // ties the items of one administration together
	const category = QS_CATEGORIES[instrument]; // CDISC CT QSCAT (C100129)
	const interval = EVALUATION_INTERVALS[instrument];
	const baseline = a.last_before_exposure === a.id;
	return resultsOf(a, instrument).map((r) => ({
		STUDYID,
		DOMAIN,
		USUBJID,
		QSSEQ: seq.next(USUBJID),
		QSGRPID: grpid,
		QSTESTCD: r.code,
		QSTEST: r.test,
		QSCAT: category,
		QSORRES: r.original,
		QSSTRESC: r.notAssessed ? null : r.numeric === null ? r.original : String(r.numeric),
		QSSTRESN: r.numeric,
		QSSTAT: r.notAssessed ? 'NOT DONE' : null,
		QSREASND: r.notAssessed ? 'NOT ASSESSED' : null,
		QSLOBXFL: baseline && !r.notAssessed ? 'Y' : null,
		VISITNUM: a.visit_number,
		VISIT: a.visit_label,
		QSDTC: qsdtc,
		QSDY: qsdy,
		QSEVLINT: interval
	}));
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
