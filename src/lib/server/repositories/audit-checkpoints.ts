// Signed checkpoints of the audit chain head (migration 2026_11_29_2100_audit_checkpoints).
// The table's type is declared here until it joins db/schema.ts.
import type { Generated, Insertable, Kysely, Selectable } from 'kysely';
import type { Executor } from '../db';
import type { DB } from '../db/schema';

export interface AuditCheckpointTable {
	id: Generated<number>;
	seq: number;
	hash: string;
	signed_at: string;
	/** Ed25519 signature, base64, of the canonical JSON of { seq, hash, at: signed_at }. */
	signature: string;
	public_key_fingerprint: string;
}

export type AuditCheckpoint = Selectable<AuditCheckpointTable>;
export type NewAuditCheckpoint = Insertable<AuditCheckpointTable>;

const withCheckpoints = (db: Executor) =>
	(db as Kysely<DB>).withTables<{ audit_checkpoint: AuditCheckpointTable }>();

export function insertCheckpoint(db: Executor, row: NewAuditCheckpoint): Promise<AuditCheckpoint> {
	return withCheckpoints(db)
		.insertInto('audit_checkpoint')
		.values(row)
		.returningAll()
		.executeTakeFirstOrThrow();
}

export function checkpointAt(
	db: Executor,
	seq: number,
	signedAt: string
): Promise<AuditCheckpoint | undefined> {
	return withCheckpoints(db)
		.selectFrom('audit_checkpoint')
		.selectAll()
		.where('seq', '=', seq)
		.where('signed_at', '=', signedAt)
		.executeTakeFirst();
}

export function latestCheckpoint(db: Executor): Promise<AuditCheckpoint | undefined> {
	return withCheckpoints(db)
		.selectFrom('audit_checkpoint')
		.selectAll()
		.orderBy('id', 'desc')
		.limit(1)
		.executeTakeFirst();
}

export interface CheckpointWithRow extends AuditCheckpoint {
	/** The hash the trail holds now at the checkpoint's row (null when that row is gone). */
	row_hash: string | null;
}

/** Checkpoints in order, each beside the trail's row at its seq, a page at a time. */
export async function* checkpointsWithRows(
	db: Executor,
	pageSize = 500
): AsyncGenerator<CheckpointWithRow> {
	let after = 0;
	for (;;) {
		const page = await withCheckpoints(db)
			.selectFrom('audit_checkpoint as c')
			.leftJoin('audit_event as a', 'a.seq', 'c.seq')
			.selectAll('c')
			.select('a.hash as row_hash')
			.where('c.id', '>', after)
			.orderBy('c.id')
			.limit(pageSize)
			.execute();
		for (const row of page) yield row;
		if (page.length < pageSize) return;
		after = page[page.length - 1]!.id;
	}
}
