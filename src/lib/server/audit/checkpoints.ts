// Signed checkpoints of the chain head. The hash chain shows that rows were not edited, removed or
// inserted one by one, but whoever holds the database file can rewrite the whole trail into a
// fresh, consistent chain. A checkpoint signs { seq, hash, at } of the head with the Ed25519 key
// kept outside the database; a later rewrite no longer matches the heads signed before it.
import { readAuditSettings } from '../runtime/config';
import type { KeyObject } from 'node:crypto';
import type { Db, Executor } from '../db';
import { writeTransaction } from '../db/transaction';
import * as repo from '../repositories/audit-checkpoints';
import type { AuditCheckpoint, CheckpointWithRow } from '../repositories/audit-checkpoints';
import { auditHead } from '../repositories/audit';
import { canonicalJson } from './chain';
import { loadOrCreateSigningKey, signBytes, verifyBytes, type SigningKey } from './signing-key';
import { remoteWitnesses, sendToRemoteWitnesses } from './remote-witness';
import { appendWitness, witnessEntryOf, witnessPath } from './witness';

/** What a checkpoint signs: the canonical JSON of the head and the time of signing. */
export function checkpointPayload(c: { seq: number; hash: string; at: string }): string {
	return canonicalJson({ seq: c.seq, hash: c.hash, at: c.at });
}

/**
 * Signs the current head. With `onlyIfChanged`, a head already signed by the latest checkpoint is
 * not signed again (the timer's case). Null when the trail is empty or nothing changed.
 */
export async function signCheckpoint(
	db: Db,
	key: SigningKey,
	now: Date,
	opts: { onlyIfChanged?: boolean; witnessFile?: string | null } = {}
): Promise<AuditCheckpoint | null> {
	const made = await writeTransaction(db, async (trx) => {
		const head = await auditHead(trx);
		if (!head) return null;
		if (opts.onlyIfChanged) {
			const last = await repo.latestCheckpoint(trx);
			if (last && last.seq === head.seq && last.hash === head.hash) return null;
		}
		const at = now.toISOString();
		const signature = signBytes(key, checkpointPayload({ ...head, at })).toString('base64');
		return repo.insertCheckpoint(trx, {
			seq: head.seq,
			hash: head.hash,
			signed_at: at,
			signature,
			public_key_fingerprint: key.fingerprint
		});
	});
	// After the commit: the witness never holds a checkpoint the database does not.
	if (made && opts.witnessFile) appendWitness(opts.witnessFile, made);
	if (made) sendToRemoteWitnesses(witnessEntryOf(made), opts.witnessFile ?? witnessPath());
	return made;
}

export interface CheckpointMismatch {
	id: number;
	seq: number;
	signedAt: string;
	kind: 'hash' | 'missing-row' | 'signature' | 'other-key' | 'missing-checkpoint';
	message: string;
}

function mismatchOf(
	c: CheckpointWithRow,
	key: { publicKey: KeyObject; fingerprint: string } | null
): CheckpointMismatch | null {
	const base = { id: c.id, seq: c.seq, signedAt: c.signed_at };
	const name = `checkpoint ${c.id} (row ${c.seq}, signed ${c.signed_at})`;
	if (key && c.public_key_fingerprint !== key.fingerprint) {
		const message = `${name}: signed by another key (${c.public_key_fingerprint}), not this server's (${key.fingerprint})`;
		return { ...base, kind: 'other-key', message };
	}
	const payload = checkpointPayload({ seq: c.seq, hash: c.hash, at: c.signed_at });
	if (key && !verifyBytes(key.publicKey, payload, Buffer.from(c.signature, 'base64'))) {
		const message = `${name}: its signature does not match (the checkpoint was forged or altered)`;
		return { ...base, kind: 'signature', message };
	}
	if (c.row_hash === null) {
		const message = `${name}: row ${c.seq} is no longer in the trail (rows were removed)`;
		return { ...base, kind: 'missing-row', message };
	}
	if (c.row_hash !== c.hash) {
		const message = `${name}: row ${c.seq} now has hash ${c.row_hash}, not the signed ${c.hash} (the audit table was rewritten)`;
		return { ...base, kind: 'hash', message };
	}
	return null;
}

export interface CheckpointReport {
	checked: number;
	mismatched: CheckpointMismatch[];
	/** False when no signing key was at hand: only (seq, hash) against the trail were compared. */
	signaturesChecked: boolean;
}

/** Every checkpoint against the trail as it is now, and against the key when one is given. */
export async function checkCheckpoints(
	db: Executor,
	key: { publicKey: KeyObject; fingerprint: string } | null
): Promise<CheckpointReport> {
	const report: CheckpointReport = { checked: 0, mismatched: [], signaturesChecked: key !== null };
	let expectedId = 1;
	for await (const c of repo.checkpointsWithRows(db)) {
		if (c.id > expectedId && expectedId > 1) {
			const message = `checkpoints ${expectedId}–${c.id - 1} are missing (deleted from the table)`;
			const at = { id: expectedId, seq: c.seq, signedAt: c.signed_at };
			report.mismatched.push({ ...at, kind: 'missing-checkpoint', message });
		}
		expectedId = c.id + 1;
		report.checked += 1;
		const problem = mismatchOf(c, key);
		if (problem) report.mismatched.push(problem);
	}
	return report;
}

/** VIGIL_CHECKPOINT_MINUTES, default 15. */
export function checkpointMinutes(): number {
	return readAuditSettings().checkpointMinutes;
}

/**
 * For start-up: signs the head now and every N minutes while it changes. Returns a stop function.
 * The key is made on first use, so the first start of a new install creates it.
 */
export function startCheckpointTimer(
	db: Db,
	opts: {
		key?: SigningKey;
		minutes?: number;
		now?: () => Date;
		witnessFile?: string | null;
		/** How the ticks are scheduled (tests pass their own; default setInterval, unref'd). */
		schedule?: (tick: () => Promise<void>, everyMs: number) => () => void;
	} = {}
): (() => void) & { first: Promise<void> } {
	const witnessFile = opts.witnessFile === undefined ? witnessPath() : opts.witnessFile;
	const key = opts.key ?? loadOrCreateSigningKey();
	const now = opts.now ?? (() => new Date());
	// The remote witnesses' queues on disk: what a previous run could not deliver is sent now.
	remoteWitnesses(witnessFile);
	let running = false;
	const tick = async () => {
		if (running) return;
		running = true;
		try {
			await signCheckpoint(db, key, now(), { onlyIfChanged: true, witnessFile });
		} catch (e) {
			console.error('[vigil] audit checkpoint failed:', e);
		} finally {
			running = false;
		}
	};
	const schedule =
		opts.schedule ??
		((fn: () => Promise<void>, everyMs: number) => {
			const timer = setInterval(() => void fn(), everyMs);
			timer.unref();
			return () => clearInterval(timer);
		});
	const stop = schedule(tick, (opts.minutes ?? checkpointMinutes()) * 60_000);
	// The head is signed at start; `first` settles when that is done.
	return Object.assign(() => stop(), { first: tick() });
}
