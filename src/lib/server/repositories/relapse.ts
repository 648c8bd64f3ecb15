// The inputs of relapse detection for the participants in a dashboard's scope: first dose, the
// relapse scale's complete totals, and adverse events whose term counts as a relapse by itself.
import type { Executor } from '../db';
import type { ScaleId } from '../../domain/scales';
import { inScope, type DashboardScope } from './cohort';

/** `participantId`: one participant's (the timeline); else everyone's in scope (the cohort). */
export function firstDoses(db: Executor, scope: DashboardScope, participantId?: number) {
	return db
		.selectFrom('dosing_session as s')
		.innerJoin('participant as p', 'p.id', 's.participant_id')
		.select(['s.participant_id', (eb) => eb.fn.min<string>('s.t0').as('first_dose_at')])
		.where(inScope(scope))
		.$if(participantId !== undefined, (q) => q.where('p.id', '=', participantId!))
		.where('s.entered_in_error_at', 'is', null)
		.groupBy('s.participant_id')
		.execute();
}

export function scaleTotals(
	db: Executor,
	scope: DashboardScope,
	instrument: ScaleId,
	participantId?: number
) {
	return db
		.selectFrom('scale_administration as a')
		.innerJoin('participant as p', 'p.id', 'a.participant_id')
		.select(['a.participant_id', 'a.administered_at', 'a.total'])
		.where(inScope(scope))
		.$if(participantId !== undefined, (q) => q.where('p.id', '=', participantId!))
		.where('a.instrument', '=', instrument)
		.where('a.complete', '=', 1)
		.where('a.total', 'is not', null)
		.where('a.entered_in_error_at', 'is', null)
		.orderBy('a.participant_id')
		.orderBy('a.administered_at')
		.execute();
}

export function eventOnsets(
	db: Executor,
	scope: DashboardScope,
	terms: readonly string[],
	participantId?: number
) {
	if (terms.length === 0) return Promise.resolve([]);
	return db
		.selectFrom('adverse_event as e')
		.innerJoin('participant as p', 'p.id', 'e.participant_id')
		.select(['e.participant_id', 'e.onset_at'])
		.where(inScope(scope))
		.$if(participantId !== undefined, (q) => q.where('p.id', '=', participantId!))
		.where('e.verbatim_term', 'in', [...terms])
		.where('e.entered_in_error_at', 'is', null)
		.execute();
}
