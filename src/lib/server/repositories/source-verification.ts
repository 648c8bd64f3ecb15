// Source data verification rows, and the records SDV covers.
import { sql, type Insertable } from 'kysely';
import type { Executor } from '../db';
import type { SourceVerification, SourceVerificationTable } from '../db/schema';

export const SDV_TYPES = [
	'dosing_session',
	'vital_reading',
	'adverse_event',
	'scale_administration'
] as const;
export type SdvType = (typeof SDV_TYPES)[number];

export function insertVerification(
	db: Executor,
	row: Insertable<SourceVerificationTable>
): Promise<SourceVerification> {
	return db.insertInto('source_verification').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Every verification of a record, oldest first. */
export function verificationsOf(
	db: Executor,
	type: string,
	id: number
): Promise<SourceVerification[]> {
	return db
		.selectFrom('source_verification')
		.selectAll()
		.where('entity_type', '=', type)
		.where('entity_id', '=', id)
		.orderBy('id')
		.execute();
}

export interface SdvCandidate {
	entity_type: SdvType;
	entity_id: number;
	participant_id: number;
	subject_code: string;
	site_id: number;
	site_code: string;
	version: number;
	serious: number | null;
	instrument: string | null;
	/** The latest whole-record verification's version, or null. */
	verified_version: number | null;
}

/** Every standing record of the SDV types at these sites, with its latest verification. */
export async function sdvCandidates(
	db: Executor,
	siteIds: number[] | 'all',
	participantId?: number
): Promise<SdvCandidate[]> {
	if (siteIds !== 'all' && siteIds.length === 0) return [];
	const out: SdvCandidate[] = [];
	for (const type of SDV_TYPES) {
		let q = db
			.selectFrom(`${type} as r` as 'adverse_event as r')
			.innerJoin('participant as p', 'p.id', 'r.participant_id')
			.innerJoin('site as s', 's.id', 'r.site_id')
			.select([
				sql<SdvType>`${type}`.as('entity_type'),
				'r.id as entity_id',
				'r.participant_id',
				'p.subject_code',
				'r.site_id',
				's.code as site_code',
				'r.version',
				sql<number | null>`${type === 'adverse_event' ? sql`r.serious` : sql`null`}`.as('serious'),
				sql<string | null>`${type === 'scale_administration' ? sql`r.instrument` : sql`null`}`.as(
					'instrument'
				),
				sql<
					number | null
				>`(select v.entity_version from source_verification v where v.entity_type = ${type} and v.entity_id = r.id and v.field is null order by v.id desc limit 1)`.as(
					'verified_version'
				)
			])
			.where('r.entered_in_error_at', 'is', null)
			.where('p.entered_in_error_at', 'is', null);
		if (siteIds !== 'all') q = q.where('r.site_id', 'in', siteIds);
		if (participantId !== undefined) q = q.where('r.participant_id', '=', participantId);
		out.push(...((await q.execute()) as SdvCandidate[]));
	}
	return out;
}
