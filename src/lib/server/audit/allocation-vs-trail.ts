// The concealed allocation list against its trail (part of `audit verify`'s data check): the lists
// and seeds against their audited digests (allocation-list-vs-trail.ts), and which participant
// holds which slot and the randomisation records against the randomisations in the trail
// (randomisations-vs-trail.ts). The report never shows an arm, a block or the seed.
import type { Executor } from '../db';
import * as allocation from '../repositories/allocation';
import type { DataMismatch } from './data-vs-trail';
import { checkLists, listEntries } from './allocation-list-vs-trail';
import {
	assignments,
	checkConsumption,
	checkRandomisations,
	randomisationRows
} from './randomisations-vs-trail';

export { ALLOCATION_TABLES, CONCEALED, type AllocationTable } from './allocation-mismatch';

/** The allocation lists, their seeds, their use and the randomisation records against the trail. */
export async function allocationAgainstTrail(db: Executor): Promise<DataMismatch[]> {
	const events = await db
		.selectFrom('audit_event')
		.select(['entity_id', 'action', 'new_values', 'reason'])
		.where('action', 'in', [
			'randomisation.list_generate',
			'randomisation.assign',
			'randomisation.emergency_unblind'
		])
		.orderBy('seq')
		.execute();
	const slots = await allocation.allSlots(db);
	const seeds = await allocation.allSeeds(db);
	const rows = await randomisationRows(db);
	if (events.length === 0 && slots.length === 0 && seeds.length === 0 && rows.length === 0) {
		return [];
	}
	const assigned = assignments(events);
	const participants = await db.selectFrom('participant').select(['id', 'study_id']).execute();
	const studyOf = new Map(participants.map((p) => [p.id, p.study_id]));
	return [
		...checkLists(listEntries(events), slots, seeds),
		...checkConsumption(assigned, slots, studyOf),
		...checkRandomisations(assigned, rows)
	];
}
