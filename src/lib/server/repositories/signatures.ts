// Electronic signatures and the records they sign. A record's review version is what a signature
// is bound to: the row's version, and for a dosing session also every reading's.
import { sql, type Insertable, type RawBuilder } from 'kysely';
import type { Executor } from '../db';
import { oneIf } from '../db/portable';
import type { Signature, SignatureTable } from '../db/schema';
import { compiledOnce } from '../db/prepared';

export const SIGNABLE_TYPES = [
	'dosing_session',
	'adverse_event',
	'scale_administration',
	'protocol_deviation'
] as const;
export type SignableType = (typeof SIGNABLE_TYPES)[number];

/**
 * A session's review version: its own version plus, over all its readings (entered-in-error ones
 * too), their versions and their count. Every change only adds, so any change moves it.
 */
const SESSION_REVIEW_VERSION = sql<number>`(ds.version + (select coalesce(sum(vr.version), 0) + count(vr.id) from vital_reading vr where vr.dosing_session_id = ds.id))`;

export interface SignableRow {
	id: number;
	site_id: number;
	participant_id: number;
	review_version: number;
	entered_in_error_at: string | null;
	/** 1 when the record may be signed: a dosing session once it has ended, others always. */
	ready: number;
}

/** Per record type, as SQL over the record's alias `ds`. */
interface Source {
	version: RawBuilder<number>;
	ready: RawBuilder<number>;
	/** Ready and worth an investigator's review (a scale: complete). */
	queued: RawBuilder<boolean>;
	at: 't0' | 'onset_at' | 'administered_at' | 'occurred_at';
	detail: RawBuilder<string>;
}

const ENDED = oneIf(sql`ds.ended_at is not null`);

export const queueSources: Record<SignableType, Source> = {
	dosing_session: {
		version: SESSION_REVIEW_VERSION,
		ready: ENDED,
		queued: sql<boolean>`ds.ended_at is not null`,
		at: 't0',
		detail: sql<string>`cast(ds.session_number as text)`
	},
	adverse_event: {
		version: sql<number>`ds.version`,
		ready: sql<number>`1`,
		queued: sql<boolean>`1 = 1`,
		at: 'onset_at',
		detail: sql<string>`ds.verbatim_term`
	},
	scale_administration: {
		version: sql<number>`ds.version`,
		ready: sql<number>`1`,
		queued: sql<boolean>`ds.complete = 1`,
		at: 'administered_at',
		detail: sql<string>`ds.instrument`
	},
	protocol_deviation: {
		version: sql<number>`ds.version`,
		ready: sql<number>`1`,
		queued: sql<boolean>`1 = 1`,
		at: 'occurred_at',
		detail: sql<string>`ds.category`
	}
};

/** The tables share the columns used here; the cast only names one for Kysely's types. */
const fromRecords = (db: Executor, type: SignableType) =>
	db.selectFrom(`${type} as ds` as 'dosing_session as ds');

export function findSignable(
	db: Executor,
	type: SignableType,
	id: number
): Promise<SignableRow | undefined> {
	const s = queueSources[type];
	return fromRecords(db, type)
		.select(['ds.id', 'ds.site_id', 'ds.participant_id', 'ds.entered_in_error_at'])
		.select([s.version.as('review_version'), s.ready.as('ready')])
		.where('ds.id', '=', id)
		.executeTakeFirst();
}

export function insertSignature(db: Executor, row: Insertable<SignatureTable>): Promise<Signature> {
	return db.insertInto('signature').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Every signature of a record, oldest first. */
export function listSignatures(db: Executor, type: SignableType, id: number): Promise<Signature[]> {
	return db
		.selectFrom('signature')
		.selectAll()
		.where('entity_type', '=', type)
		.where('entity_id', '=', id)
		.orderBy('signed_at')
		.orderBy('id')
		.execute();
}

/** The signatures of several records of one type: by record, then oldest first. */
export function listSignaturesOfRecords(
	db: Executor,
	type: SignableType,
	ids: readonly number[]
): Promise<Signature[]> {
	if (ids.length === 0) return Promise.resolve([]);
	return db
		.selectFrom('signature')
		.selectAll()
		.where('entity_type', '=', type)
		.where('entity_id', 'in', [...ids])
		.orderBy('entity_id')
		.orderBy('signed_at')
		.orderBy('id')
		.execute();
}

const voidOf = compiledOnce((db, type: SignableType, id: number, at: string, reason: string) =>
	db
		.updateTable('signature')
		.set({ voided_at: at, voided_reason: reason })
		.where('entity_type', '=', type)
		.where('entity_id', '=', id)
		.where('voided_at', 'is', null)
		.returningAll()
);

/** Voids the record's signatures not voided yet; returns the ones it voided. */
export function voidSignaturesOf(
	db: Executor,
	type: SignableType,
	id: number,
	at: string,
	reason: string
): Promise<Signature[]> {
	return voidOf(db, type, id, at, reason);
}

/** Every table a signature can sign carries its participant. */
const SIGNED_TABLES = SIGNABLE_TYPES;

/**
 * The records with a standing (not voided) signature, of one participant or of every participant
 * of a study: what an unfreeze or an unlock leaves no longer endorsed.
 */
export async function signedRecordsOf(
	db: Executor,
	scope: { participantId: number } | { studyId: number }
): Promise<Array<{ entity_type: SignableType; entity_id: number }>> {
	const found: Array<{ entity_type: SignableType; entity_id: number }> = [];
	for (const table of SIGNED_TABLES) {
		const ids = db
			.selectFrom(table)
			.innerJoin('participant', 'participant.id', `${table}.participant_id`)
			.select(`${table}.id`)
			.where(
				'participantId' in scope ? 'participant.id' : 'participant.study_id',
				'=',
				'participantId' in scope ? scope.participantId : scope.studyId
			);
		const rows = await db
			.selectFrom('signature')
			.select(['entity_id'])
			.distinct()
			.where('entity_type', '=', table)
			.where('voided_at', 'is', null)
			.where('entity_id', 'in', ids)
			.orderBy('entity_id')
			.execute();
		for (const r of rows) found.push({ entity_type: table, entity_id: r.entity_id });
	}
	return found;
}
