// Any clinical record by type and id, for monitoring: where it belongs, its version, and one
// field's value. Types and fields come from the vocabulary in domain/monitoring/fields, never
// from input unchecked.
import { sql } from 'kysely';
import type { RecordType } from '../../domain/monitoring/fields';
import type { Executor } from '../db';

export interface RecordHead {
	id: number;
	site_id: number;
	participant_id: number;
	version: number;
	entered_in_error_at: string | null;
	study_id: number;
}

/** Where the record belongs and its version; `value` is the field's value when one is named. */
export async function findRecord(
	db: Executor,
	type: RecordType,
	id: number,
	field?: string
): Promise<(RecordHead & { value: unknown }) | undefined> {
	const participantRef = (
		type === 'participant' ? 'r.id' : 'r.participant_id'
	) as 'r.participant_id';
	const row = await db
		.selectFrom(`${type} as r` as 'adverse_event as r')
		.innerJoin('participant as p', 'p.id', participantRef)
		.select([
			'r.id',
			'r.site_id',
			sql<number>`${sql.ref(participantRef)}`.as('participant_id'),
			'r.version',
			'r.entered_in_error_at',
			'p.study_id'
		])
		.$if(field !== undefined, (q) => q.select(sql.ref(`r.${field}`).as('value')))
		.where('r.id', '=', id)
		.executeTakeFirst();
	if (!row) return undefined;
	return { ...(row as RecordHead), value: (row as { value?: unknown }).value ?? null };
}
