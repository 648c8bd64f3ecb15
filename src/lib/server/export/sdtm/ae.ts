// SDTM AE (Adverse Events): one row per event not entered in error, with AESER derived from the
// six ICH E2A criteria, so AESER = Y exactly when one of the flags is Y.
import {
	findCodedTerm,
	sdtmAeacnOther,
	sdtmSeriousness,
	sdtmSeverity,
	toSdtmAeacn,
	toSdtmAerel,
	toSdtmAeout,
	type ActionTaken,
	type Outcome,
	type Relatedness,
	type SeriousnessCriteria
} from '../../../domain/adverse-events';
import type { Executor } from '../../db';
import { decodeSeverity } from '../../../domain/adverse-events';
import { inStudy, keysetPages, siteIn, withinDays, type ExportScope } from '../pages';
import { dtc, firstDoseOf, identifiers, SequenceBySubject, type SubjectKeys } from './common';
import { AE, studyDay, type SdtmRow } from '../../../domain/sdtm';

export type AeRow = SdtmRow<(typeof AE.variables)[number]['name']>;

interface AeSource extends SubjectKeys {
	id: number;
	verbatim_term: string;
	coded_term_code: string | null;
	onset_at: string;
	end_at: string | null;
	severity: string;
	criteria: string;
	relatedness: string;
	action_taken: string;
	outcome: string;
	first_dose_at: string | null;
}

function baseQuery(db: Executor, scope: ExportScope) {
	return db
		.selectFrom('adverse_event as ae')
		.crossJoin('participant as p')
		.whereRef('p.id', '=', 'ae.participant_id')
		.where('ae.entered_in_error_at', 'is', null)
		.where('p.entered_in_error_at', 'is', null)
		.where(siteIn('ae.site_id', scope.siteIds))
		.where(inStudy('p.study_id', scope))
		.where(withinDays('ae.onset_at', scope));
}

export function aePage(
	db: Executor,
	scope: ExportScope,
	after: number | null,
	limit: number
): Promise<AeSource[]> {
	return baseQuery(db, scope)
		.crossJoin('study as s')
		.whereRef('s.id', '=', 'p.study_id')
		.select([
			'ae.id',
			'ae.verbatim_term',
			'ae.coded_term_code',
			'ae.onset_at',
			'ae.end_at',
			'ae.severity',
			'ae.criteria',
			'ae.relatedness',
			'ae.action_taken',
			'ae.outcome',
			'p.subject_code',
			's.code as study_code',
			firstDoseOf('p.id').as('first_dose_at')
		])
		.$if(after !== null, (q) => q.where('ae.id', '>', after!))
		.orderBy('ae.id')
		.limit(limit)
		.execute();
}

export async function countAe(db: Executor, scope: ExportScope): Promise<number> {
	const row = await baseQuery(db, scope)
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

function toAe(e: AeSource, seq: SequenceBySubject): AeRow {
	const ids = identifiers('AE', e);
	const action = e.action_taken as ActionTaken;
	const rfstdtc = dtc(e.first_dose_at);
	const [start, end] = [dtc(e.onset_at), dtc(e.end_at)];
	const blank = (s: string) => (s === '' ? null : s);
	const severity = sdtmSeverity(decodeSeverity(e.severity)); // CTCAE grade → AETOXGR, else AESEV
	return {
		STUDYID: ids.STUDYID,
		DOMAIN: ids.DOMAIN,
		USUBJID: ids.USUBJID,
		AESEQ: seq.next(ids.USUBJID),
		AETERM: e.verbatim_term,
		// Vigil's bundled term list (MedDRA itself is licensed): its preferred term
		AEDECOD: e.coded_term_code ? (findCodedTerm(e.coded_term_code)?.preferredTerm ?? null) : null,
		AESEV: blank(severity.AESEV), // C66769
		AETOXGR: blank(severity.AETOXGR),
		...sdtmSeriousness(JSON.parse(e.criteria) as SeriousnessCriteria), // ICH E2A §II.B
		AEREL: toSdtmAerel(e.relatedness as Relatedness), // sponsor-defined 5-point scale
		AEACN: toSdtmAeacn(action), // CDISC CT ACN (C66767)
		AEACNOTH: blank(sdtmAeacnOther(action)),
		AEOUT: toSdtmAeout(e.outcome as Outcome), // CDISC CT OUT (C66768)
		AESTDTC: start,
		AEENDTC: end,
		AESTDY: studyDay(start, rfstdtc),
		AEENDY: studyDay(end, rfstdtc)
	};
}

export async function* aeRows(db: Executor, scope: ExportScope): AsyncGenerator<AeRow> {
	const seq = new SequenceBySubject();
	const pages = keysetPages(
		(after: number | null, limit) => aePage(db, scope, after, limit),
		(last) => last.id,
		scope.pageSize
	);
	for await (const page of pages) yield* page.map((e) => toAe(e, seq));
}
