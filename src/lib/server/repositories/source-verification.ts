// Source data verification rows, and the records SDV covers.
import { sql, type Insertable } from 'kysely';
import type { Executor } from '../db';
import type { SourceVerification, SourceVerificationTable } from '../db/schema';
import { RECORD_FIELDS } from '../../domain/monitoring/fields';
import { SDV_RECORD_TYPES, type SdvRecordType } from '../../domain/monitoring/sdv-fields';

export const SDV_TYPES = SDV_RECORD_TYPES;
export type SdvType = SdvRecordType;

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
	study_id: number;
	version: number;
	serious: number | null;
	instrument: string | null;
	/** The dosing session the record belongs to (its own id for a session), for its page. */
	session_id: number | null;
	/** Every field a monitor may verify, by column name, as stored. */
	values: Record<string, unknown>;
}

/** Which standing records: at these sites, of one participant or study, of some types, or one. */
export interface SdvCandidateFilter {
	siteIds: number[] | 'all';
	participantId?: number;
	studyId?: number;
	types?: readonly SdvType[];
	record?: { type: SdvType; id: number };
	/** These records (of the filter's types) only. */
	ids?: readonly number[];
	/** False: no field values (`values` is {}), for records known to have no marks. */
	withValues?: boolean;
}

/** Every standing record of the SDV types matching the filter, with the values SDV checks. */
export async function sdvCandidates(db: Executor, f: SdvCandidateFilter): Promise<SdvCandidate[]> {
	const { siteIds, participantId } = f;
	if (siteIds !== 'all' && siteIds.length === 0) return [];
	const out: SdvCandidate[] = [];
	const types = f.record ? [f.record.type] : (f.types ?? SDV_TYPES);
	for (const type of types) {
		const fields = f.withValues === false ? [] : Object.keys(RECORD_FIELDS[type]);
		let q = db
			.selectFrom(`${type} as r` as 'adverse_event as r')
			.innerJoin('participant as p', 'p.id', 'r.participant_id')
			.innerJoin('site as s', 's.id', 'r.site_id')
			.select([
				'r.id as entity_id',
				'r.participant_id',
				'p.subject_code',
				'p.study_id',
				'r.site_id',
				's.code as site_code',
				'r.version',
				sql<number | null>`${type === 'adverse_event' ? sql`r.serious` : sql`null`}`.as('serious'),
				sql<string | null>`${type === 'scale_administration' ? sql`r.instrument` : sql`null`}`.as(
					'instrument'
				),
				sql<number | null>`${
					type === 'vital_reading'
						? sql`r.dosing_session_id`
						: type === 'dosing_session'
							? sql`r.id`
							: sql`null`
				}`.as('session_id')
			])
			.select(fields.map((f) => sql.ref(`r.${f}`).as(`f_${f}`)))
			.where('r.entered_in_error_at', 'is', null)
			.where('p.entered_in_error_at', 'is', null)
			.orderBy('r.id');
		if (siteIds !== 'all') q = q.where('r.site_id', 'in', siteIds);
		if (participantId !== undefined) q = q.where('r.participant_id', '=', participantId);
		if (f.studyId !== undefined) q = q.where('p.study_id', '=', f.studyId);
		if (f.record) q = q.where('r.id', '=', f.record.id);
		const found: Array<Record<string, unknown>> = [];
		if (f.ids === undefined) found.push(...(await q.execute()));
		// In slices, under either database's parameter limit.
		for (let i = 0; f.ids !== undefined && i < f.ids.length; i += 500) {
			found.push(...(await q.where('r.id', 'in', f.ids.slice(i, i + 500)).execute()));
		}
		for (const row of found) {
			const values = Object.fromEntries(fields.map((f) => [f, row[`f_${f}`] ?? null]));
			out.push({
				entity_type: type,
				entity_id: row.entity_id as number,
				participant_id: row.participant_id as number,
				subject_code: row.subject_code as string,
				study_id: row.study_id as number,
				site_id: row.site_id as number,
				site_code: row.site_code as string,
				version: row.version as number,
				serious: row.serious as number | null,
				instrument: row.instrument as string | null,
				session_id: row.session_id as number | null,
				values
			});
		}
	}
	return out;
}

/** What a rebuild needs of each standing record of a study: who and where, and its class. */
export interface SdvHead {
	entity_id: number;
	participant_id: number;
	site_id: number;
	serious: number | null;
	instrument: string | null;
}

/**
 * The study's standing records of one type, in id order, with only the columns that place a
 * record and decide whether it is required (sdvCandidates without values reads five more columns
 * and two joins a record: a million records at the trial tier).
 */
export function sdvHeads(
	db: Executor,
	studyId: number,
	type: SdvType,
	range: IdWindow = { after: 0, upTo: null }
): Promise<SdvHead[]> {
	let q = db
		.selectFrom(`${type} as r` as 'adverse_event as r')
		.innerJoin('participant as p', 'p.id', 'r.participant_id')
		.select(['r.id as entity_id', 'r.participant_id', 'r.site_id'])
		.select([
			sql<number | null>`${type === 'adverse_event' ? sql`r.serious` : sql`null`}`.as('serious'),
			sql<string | null>`${type === 'scale_administration' ? sql`r.instrument` : sql`null`}`.as(
				'instrument'
			)
		])
		.where('r.entered_in_error_at', 'is', null)
		.where('p.entered_in_error_at', 'is', null)
		.where('p.study_id', '=', studyId)
		.where('r.id', '>', range.after)
		.orderBy('r.id');
	if (range.upTo !== null) q = q.where('r.id', '<=', range.upTo);
	if (range.siteId !== undefined) q = q.where('r.site_id', '=', range.siteId);
	return q.execute();
}

/** Records with ids after `after`, up to `upTo` (null: every one after), at one site or all. */
export interface IdWindow {
	after: number;
	upTo: number | null;
	siteId?: number;
}

/** The verifications of the records of one type with ids in the window (any site), oldest first. */
export function verificationsInWindow(
	db: Executor,
	type: SdvType,
	range: IdWindow
): Promise<SourceVerification[]> {
	let q = db
		.selectFrom('source_verification')
		.selectAll()
		.where('entity_type', '=', type)
		.where('entity_id', '>', range.after)
		.orderBy('id');
	if (range.upTo !== null) q = q.where('entity_id', '<=', range.upTo);
	return q.execute();
}

/** Every verification at these sites (or of one participant), oldest first. */
export function verificationsAt(
	db: Executor,
	siteIds: number[] | 'all',
	participantId?: number
): Promise<SourceVerification[]> {
	let q = db.selectFrom('source_verification').selectAll().orderBy('id');
	if (siteIds !== 'all') q = q.where('site_id', 'in', siteIds.length > 0 ? siteIds : [-1]);
	if (participantId !== undefined) q = q.where('participant_id', '=', participantId);
	return q.execute();
}
