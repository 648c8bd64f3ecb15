// The audit trail as a bundle carries it, and the check of it. Pure: no database here, so the
// verifier that reads a bundle never opens one.
//
// Why two forms. Each row's hash is SHA-256(previous hash + canonical JSON of the whole row), so
// the chain can be recomputed only from complete rows, and only from the first row on.
//
// - `audit-trail.jsonl` (admins and the operator, who may read every row): one line per row, every
//   column including prev_hash and hash. The check recomputes every hash from row 1 to the head.
//
// - `audit-chain.jsonl` (an auditor limited to some sites): one line for EVERY row of the trail,
//   so the sequence has no gaps, each with its seq, prev_hash and hash. A row at the auditor's
//   sites carries its complete contents under `row`, and its hash is recomputed; any other row
//   (other sites, sign-ins) carries only `digest`, the SHA-256 of its canonical contents, and no
//   contents. The check then proves: the rows run 1..head without a gap; every line links to the
//   one before (prev_hash = the previous hash), so rows cannot be removed, inserted or reordered;
//   every visible row's contents give its hash, and that hash is bound into every later row's
//   hash; the last hash is the head signed in the manifest. It cannot prove the contents of the
//   rows it does not show: their hashes are taken as given, and their digests let an administrator
//   holding the full trail show later that a withheld row is the one that was there.
import { canonicalJson, chainHash, ChainVerifier, GENESIS_HASH, sha256Hex } from './chain';
import type { ChainedFields, ChainRow } from './chain';

export const FULL_TRAIL_FILE = 'audit-trail.jsonl';
export const SCOPED_CHAIN_FILE = 'audit-chain.jsonl';

/** The fields a row's hash covers, in a fresh object (no extra columns). */
function covered(r: ChainedFields): ChainedFields {
	const { seq, at, actor_id, actor_label, actor_role, site_id, action } = r;
	const { entity_type, entity_id, old_values, new_values, reason, request_id, prev_hash } = r;
	return {
		...{ seq, at, actor_id, actor_label, actor_role, site_id, action },
		...{ entity_type, entity_id, old_values, new_values, reason, request_id, prev_hash }
	};
}

/** A full-trail line: every column. */
export function fullTrailLine(row: ChainRow): string {
	return canonicalJson({ ...covered(row), hash: row.hash }) + '\n';
}

/** A scoped-chain line: the contents for a visible row, only their digest for another. */
export function scopedChainLine(row: ChainRow, visible: boolean): string {
	const link = { seq: row.seq, prev_hash: row.prev_hash, hash: row.hash };
	const contents = covered(row);
	return (
		canonicalJson(
			visible ? { ...link, row: contents } : { ...link, digest: sha256Hex(canonicalJson(contents)) }
		) + '\n'
	);
}

const HEX64 = /^[0-9a-f]{64}$/;
const TEXT_OR_NULL = ['actor_label', 'actor_role', 'action', 'entity_type', 'at', 'prev_hash'];

function isChainedFields(v: unknown): v is ChainedFields {
	if (typeof v !== 'object' || v === null) return false;
	const r = v as Record<string, unknown>;
	const intOrNull = (x: unknown) => x === null || Number.isInteger(x);
	const strOrNull = (x: unknown) => x === null || typeof x === 'string';
	return (
		Number.isInteger(r.seq) &&
		TEXT_OR_NULL.every((k) => typeof r[k] === 'string') &&
		intOrNull(r.actor_id) &&
		intOrNull(r.site_id) &&
		['entity_id', 'old_values', 'new_values', 'reason', 'request_id'].every((k) => strOrNull(r[k]))
	);
}

export interface TrailCheck {
	/** Rows read, and rows whose hash was recomputed from their contents. */
	rows: number;
	recomputed: number;
	problem: string | null;
	last: { seq: number; hash: string };
}

/** Reads a trail file line by line; `finish` holds the end against the signed head. */
export class TrailChecker {
	readonly #form: 'full' | 'scoped';
	readonly #full = new ChainVerifier();
	#last = { seq: 0, hash: GENESIS_HASH };
	#rows = 0;
	#recomputed = 0;
	#problem: string | null = null;

	constructor(form: 'full' | 'scoped') {
		this.#form = form;
	}

	line(text: string): void {
		if (this.#problem || text === '') return;
		const where = `row ${this.#last.seq + 1} (line ${this.#rows + 1})`;
		let value: unknown;
		try {
			value = JSON.parse(text);
		} catch {
			this.#problem = `${where}: not valid JSON`;
			return;
		}
		this.#problem =
			this.#form === 'full' ? this.#fullRow(value, where) : this.#scoped(value, where);
		if (!this.#problem) this.#rows += 1;
	}

	#fullRow(value: unknown, where: string): string | null {
		const hash = (value as { hash?: unknown } | null)?.hash;
		if (!isChainedFields(value) || typeof hash !== 'string') return `${where}: not a trail row`;
		if (!this.#full.push({ ...value, hash })) return this.#full.problem!.message;
		this.#recomputed += 1;
		this.#last = { seq: value.seq, hash };
		return null;
	}

	#scoped(value: unknown, where: string): string | null {
		const v = (value ?? {}) as { seq?: unknown; prev_hash?: unknown; hash?: unknown };
		const { seq, prev_hash, hash } = v;
		if (!Number.isInteger(seq) || typeof prev_hash !== 'string' || typeof hash !== 'string') {
			return `${where}: not a chain line`;
		}
		const n = seq as number;
		if (n !== this.#last.seq + 1) {
			return `row ${n}: expected sequence number ${this.#last.seq + 1} (a row is missing or was inserted)`;
		}
		if (prev_hash !== this.#last.hash) {
			return `row ${n}: its previous-hash does not match row ${n - 1}'s hash`;
		}
		const problem = this.#contents(value as Record<string, unknown>, n, prev_hash, hash);
		if (problem) return problem;
		this.#last = { seq: n, hash };
		return null;
	}

	#contents(v: Record<string, unknown>, n: number, prev: string, hash: string): string | null {
		if (v.row === undefined) {
			return typeof v.digest === 'string' && HEX64.test(v.digest) && HEX64.test(hash)
				? null
				: `row ${n}: neither its contents nor a digest of them`;
		}
		const row = v.row;
		if (!isChainedFields(row) || row.seq !== n || row.prev_hash !== prev) {
			return `row ${n}: its contents do not belong to this place in the chain`;
		}
		if (chainHash(row) !== hash) {
			return `row ${n}: its contents do not match its hash (the row was altered)`;
		}
		this.#recomputed += 1;
		return null;
	}

	finish(head: { seq: number; hash: string }): TrailCheck {
		const result = { rows: this.#rows, recomputed: this.#recomputed, last: this.#last };
		if (this.#problem) return { ...result, problem: this.#problem };
		if (head.seq !== this.#last.seq || head.hash !== this.#last.hash) {
			const problem = `the trail ends at row ${this.#last.seq} (${this.#last.hash}) but the signed head is row ${head.seq} (${head.hash})`;
			return { ...result, problem };
		}
		return { ...result, problem: null };
	}
}
