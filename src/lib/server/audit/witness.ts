// The witness: every checkpoint is also appended, one JSON line each, to a log kept apart from the
// database (VIGIL_WITNESS_FILE, default `<key directory>/vigil-witness-<database>.log`, one log per
// database so two on one machine never read each other's heads), and optionally sent off the
// machine (remote-witness.ts: syslog and/or HTTPS, of the site's choice). The database can be rewritten or
// replaced by an older copy; the witness keeps what the chain looked like, so `audit verify` can
// tell a restored old database (rollback) and deleted checkpoints.
import { readAuditSettings } from '../runtime/config';
import {
	appendFileSync,
	closeSync,
	existsSync,
	fsyncSync,
	mkdirSync,
	openSync,
	readFileSync
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createHash, type KeyObject } from 'node:crypto';
import type { Executor } from '../db';
import { checkpointAt, type AuditCheckpoint } from '../repositories/audit-checkpoints';
import { checkpointPayload } from './checkpoints';
import { keyDirectory, verifyBytes } from './signing-key';

export interface WitnessEntry {
	seq: number;
	hash: string;
	at: string;
	signature: string;
	fingerprint: string;
}

/**
 * The witness log's path; null when VIGIL_WITNESS_FILE is `none` (no witness kept). By default
 * one log per database, named by a digest of where the database is (its file's absolute path, or
 * its URL without the password): a copy restored over the same file is still caught, and a second
 * database on the machine (a demo, a test) keeps a log of its own.
 */
export function witnessPath(): string | null {
	const { witnessFile: named, database } = readAuditSettings();
	if (named === 'none') return null;
	if (named) return resolve(named);
	const tag = createHash('sha256').update(database).digest('hex').slice(0, 12);
	return join(keyDirectory(), `vigil-witness-${tag}.log`);
}

export function witnessEntryOf(c: AuditCheckpoint): WitnessEntry {
	return {
		seq: c.seq,
		hash: c.hash,
		at: c.signed_at,
		signature: c.signature,
		fingerprint: c.public_key_fingerprint
	};
}

/** Appends and syncs one line; a failure is logged, never fatal to the write that was signed. */
export function appendWitness(file: string, c: AuditCheckpoint): void {
	const line = JSON.stringify(witnessEntryOf(c)) + '\n';
	try {
		mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
		appendFileSync(file, line, { mode: 0o600 });
		const fd = openSync(file, 'r');
		try {
			fsyncSync(fd);
		} finally {
			closeSync(fd);
		}
	} catch (e) {
		console.error(`[vigil] could not append to the witness log ${file}:`, e);
	}
}

export function readWitness(file: string): WitnessEntry[] {
	if (!existsSync(file)) return [];
	return readFileSync(file, 'utf8')
		.split('\n')
		.filter((l) => l.trim() !== '')
		.map((l) => JSON.parse(l) as WitnessEntry);
}

/** The last line of the witness log (the default one unless named), or null when there is none. */
export function latestWitnessed(file: string | null = witnessPath()): WitnessEntry | null {
	if (!file) return null;
	try {
		return readWitness(file).at(-1) ?? null;
	} catch (e) {
		console.error(`[vigil] could not read the witness log ${file}:`, e);
		return null;
	}
}

export interface WitnessReport {
	file: string;
	entries: number;
	problems: string[];
	latest: WitnessEntry | null;
}

/**
 * The database against the witness: each witnessed head must still be in the trail (else the
 * database is an older copy, or rows were cut) and among the checkpoints (else checkpoints were
 * deleted); a witnessed entry with a bad signature is itself reported.
 */
export async function checkWitness(
	db: Executor,
	file: string,
	key: { publicKey: KeyObject; fingerprint: string } | null
): Promise<WitnessReport> {
	const entries = readWitness(file);
	const report: WitnessReport = { file, entries: entries.length, problems: [], latest: null };
	const head = await db
		.selectFrom('audit_head')
		.select(['seq', 'hash'])
		.where('id', '=', 1)
		.executeTakeFirst();
	for (const w of entries) {
		if (key && w.fingerprint === key.fingerprint) {
			const ok = verifyBytes(
				key.publicKey,
				checkpointPayload({ seq: w.seq, hash: w.hash, at: w.at }),
				Buffer.from(w.signature, 'base64')
			);
			if (!ok) {
				report.problems.push(`witness line for row ${w.seq} (${w.at}) has a bad signature`);
				continue;
			}
		}
		report.latest = w;
		if (!head || head.seq < w.seq) {
			report.problems.push(
				`rollback: the witness saw the trail at row ${w.seq} on ${w.at}, but this database ends at row ${head?.seq ?? 0} (an older copy of the database, or rows cut from the end)`
			);
			continue;
		}
		const row = await db
			.selectFrom('audit_event')
			.select('hash')
			.where('seq', '=', w.seq)
			.executeTakeFirst();
		if (!row || row.hash !== w.hash) {
			report.problems.push(
				`row ${w.seq} no longer has the hash the witness saw on ${w.at} (the trail was rewritten)`
			);
		}
		if (!(await checkpointAt(db, w.seq, w.at))) {
			report.problems.push(
				`the checkpoint of row ${w.seq} signed ${w.at} is in the witness but not in the database (checkpoints were deleted)`
			);
		}
	}
	return report;
}
