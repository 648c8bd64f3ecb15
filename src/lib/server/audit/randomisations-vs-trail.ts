// Who holds which slot, and the randomisation records blinded roles see, against the
// randomisations the trail records (randomisation.assign: stratum and kit, never the arm; and any
// emergency unblinding). Part of `audit verify`'s data check.
import type { Executor } from '../db';
import type { DataMismatch } from './data-vs-trail';
import { mismatch, parse, type Event, type Slot } from './allocation-mismatch';

interface Assigned {
	stratum: string;
	kit: string;
	unblindedAt: string | null;
	unblindReason: string | null;
}

/** Each randomised participant as the trail tells it: stratum and kit, and any unblinding. */
export function assignments(events: Event[]): Map<number, Assigned> {
	const out = new Map<number, Assigned>();
	for (const e of events) {
		const participant = Number(e.entity_id);
		const v = parse(e.new_values);
		if (e.action === 'randomisation.assign') {
			out.set(participant, {
				stratum: String(v.stratum),
				kit: String(v.kit),
				unblindedAt: null,
				unblindReason: null
			});
		} else if (e.action === 'randomisation.emergency_unblind' && out.has(participant)) {
			out.get(participant)!.unblindedAt = String(v.unblindedAt);
			out.get(participant)!.unblindReason = e.reason;
		}
	}
	return out;
}

/** Which participant holds which slot, against the randomisations the trail records. */
export function checkConsumption(
	assigned: Map<number, Assigned>,
	slots: Slot[],
	studyOf: Map<number, number>
): DataMismatch[] {
	const holder = new Map<string, number>();
	for (const [p, a] of assigned) holder.set(`${studyOf.get(p)}|${a.stratum}|${a.kit}`, p);
	const found: DataMismatch[] = [];
	for (const s of slots) {
		const expected = holder.get(`${s.study_id}|${s.stratum}|${s.kit}`) ?? null;
		if (s.participant_id === expected) continue;
		const what =
			expected === null
				? 'the trail gives this slot to no one'
				: `the trail gives kit ${s.kit} to participant ${expected}`;
		found.push(
			mismatch('allocation_slot', String(s.id), 'participant_id', expected, s.participant_id, what)
		);
	}
	return found;
}

export type RandomisationRow = Awaited<ReturnType<typeof randomisationRows>>[number];
export const randomisationRows = (db: Executor) =>
	db.selectFrom('randomisation').selectAll().orderBy('id').execute();

/** The randomisation records (what blinded roles see) against the trail. */
export function checkRandomisations(
	assigned: Map<number, Assigned>,
	rows: RandomisationRow[]
): DataMismatch[] {
	const found: DataMismatch[] = [];
	const seen = new Set<number>();
	for (const row of rows) {
		seen.add(row.participant_id);
		const id = String(row.id);
		const a = assigned.get(row.participant_id);
		if (!a) {
			found.push(
				mismatch(
					'randomisation',
					id,
					null,
					null,
					'row',
					`(participant ${row.participant_id}) is in the database but has no entry in the audit trail`
				)
			);
			continue;
		}
		const pairs: Array<[string, unknown, unknown]> = [
			['stratum', a.stratum, row.stratum],
			['kit', a.kit, row.kit],
			['unblinded_at', a.unblindedAt, row.unblinded_at],
			['unblind_reason', a.unblindReason, row.unblind_reason]
		];
		for (const [field, trail, data] of pairs) {
			if (trail !== data) {
				found.push(
					mismatch('randomisation', id, field, trail, data, `participant ${row.participant_id}`)
				);
			}
		}
	}
	for (const participant of assigned.keys()) {
		if (!seen.has(participant)) {
			found.push(
				mismatch(
					'randomisation',
					`of participant ${participant}`,
					null,
					'row',
					null,
					'is in the audit trail but its row is gone from the database'
				)
			);
		}
	}
	return found;
}
