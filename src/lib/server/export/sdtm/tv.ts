// SDTM TV (Trial Visits): the protocol's planned visits, one row each (the schedule is the same in
// every arm, so ARMCD is null), with the rule and window that place each one. Study-level
// reference data: one set per study with an active protocol.
import { scheduleVisits } from '../../../domain/protocol';
import { studyDay, TV, visitStartRule, type SdtmRow } from '../../../domain/sdtm';
import type { Executor } from '../../db';
import { keysetPages, type ExportScope } from '../pages';
import type { ProtocolLookup } from '../protocols';

export type TvRow = SdtmRow<(typeof TV.variables)[number]['name']>;

/** Any date serves: VISITDY is a difference of planned dates. */
const NOMINAL_ENROLMENT = '2026-01-01';

function studiesQuery(db: Executor, scope: ExportScope) {
	return db
		.selectFrom('study as s')
		.where((eb) =>
			eb.exists(
				eb
					.selectFrom('protocol_version as pv')
					.select('pv.id')
					.whereRef('pv.study_id', '=', 's.id')
					.where('pv.is_active', '=', 1)
			)
		)
		.$if(scope.studyId !== undefined, (q) => q.where('s.id', '=', scope.studyId!));
}

function studyPage(db: Executor, scope: ExportScope, after: number | null, limit: number) {
	return studiesQuery(db, scope)
		.select(['s.id', 's.code'])
		.$if(after !== null, (q) => q.where('s.id', '>', after!))
		.orderBy('s.id')
		.limit(limit)
		.execute();
}

export async function* tvRows(
	db: Executor,
	scope: ExportScope,
	protocolOf: ProtocolLookup
): AsyncGenerator<TvRow> {
	const pages = keysetPages(
		(after: number | null, limit) => studyPage(db, scope, after, limit),
		(last) => last.id,
		scope.pageSize
	);
	for await (const page of pages) {
		for (const study of page) {
			const { protocol } = await protocolOf(study.id);
			const plan = scheduleVisits(protocol, NOMINAL_ENROLMENT);
			const firstDose = plan.find((v) => v.kind === 'dosing')?.planned ?? null;
			for (const [i, visit] of protocol.visits.entries()) {
				yield {
					STUDYID: study.code,
					DOMAIN: 'TV',
					VISITNUM: i + 1, // as the visits are numbered when scheduled (SV.VISITNUM)
					VISIT: visit.label,
					VISITDY: studyDay(plan[i]!.planned, firstDose),
					ARMCD: null,
					TVSTRL: visitStartRule(visit),
					TVENRL: 'End of the visit day'
				};
			}
		}
	}
}

/** Rows TV will have: every visit of every study's active protocol. */
export async function countTv(
	db: Executor,
	scope: ExportScope,
	protocolOf?: ProtocolLookup
): Promise<number> {
	const studies = await studiesQuery(db, scope).select('s.id').execute();
	if (!protocolOf) return studies.length;
	let n = 0;
	for (const s of studies) n += (await protocolOf(s.id)).protocol.visits.length;
	return n;
}
