// The audit trail's tamper evidence: each row's hash covers the previous row's hash and the
// canonical JSON of the row itself, so editing, removing or inserting a row breaks the chain.
// Pure: no database here (the table's type only), so the rules can be tested on their own.
import { createHash } from 'node:crypto';
import type { AuditEventTable } from '../db/schema';

export const GENESIS_HASH = '0'.repeat(64);

/**
 * The fields of an audit row that its hash covers: every column but the hash itself, so a column
 * added to the table is one the hash must cover. Action and entity type are any text here: a trail
 * file or an older row may hold one the vocabulary no longer lists, and it must still verify.
 */
export type ChainedFields = Omit<AuditEventTable, 'hash' | 'action' | 'entity_type'> & {
	action: string;
	entity_type: string;
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Canonical JSON: object keys sorted by code point at every depth, no whitespace, undefined
 * members dropped. Two equal values always give the same string.
 */
export function canonicalJson(value: unknown): string {
	return JSON.stringify(canonicalise(value));
}

function canonicalise(value: unknown): Json {
	if (value === null || value === undefined) return null;
	if (Array.isArray(value)) return value.map((v) => canonicalise(v));
	if (value instanceof Date) return value.toISOString();
	if (typeof value === 'object') {
		const out: { [key: string]: Json } = {};
		for (const key of Object.keys(value).sort()) {
			const v = (value as Record<string, unknown>)[key];
			if (v !== undefined) out[key] = canonicalise(v);
		}
		return out;
	}
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) throw new TypeError('Non-finite numbers have no JSON form');
		return value;
	}
	if (typeof value === 'string' || typeof value === 'boolean') return value;
	throw new TypeError(`Cannot put a ${typeof value} in the audit trail`);
}

/** SHA-256 of the text's UTF-8 bytes, lower-case hex (node:crypto: OpenSSL, not JavaScript). */
export function sha256Hex(text: string): string {
	return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The fields a row's hash covers, in the trail's column order (the CSV export follows it). */
export const CHAINED_FIELDS = [
	'seq',
	'at',
	'actor_id',
	'actor_label',
	'actor_role',
	'site_id',
	'action',
	'entity_type',
	'entity_id',
	'old_values',
	'new_values',
	'reason',
	'request_id',
	'prev_hash'
] as const satisfies readonly (keyof ChainedFields)[];

/** The covered fields in canonical (code point) order, each with its `"name":` written once. */
const COVERED_KEYS = [...CHAINED_FIELDS]
	.sort()
	.map((key) => [key, `${JSON.stringify(key)}:`] as const);

/**
 * canonicalJson of the covered fields, written directly: every field of a stored row is text, a
 * finite number or null, so the generic walk (copy, sort the keys, recurse) is not needed. Any
 * other value (a Date from a driver, say) returns null and the caller takes the generic path.
 */
function coveredJson(row: ChainedFields): string | null {
	let out = '{';
	for (const [key, name] of COVERED_KEYS) {
		const value: unknown = row[key];
		let text: string;
		if (value === undefined) continue;
		if (value === null) text = 'null';
		else if (typeof value === 'string') text = JSON.stringify(value);
		else if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
		else return null;
		out += out.length === 1 ? name + text : ',' + name + text;
	}
	return out + '}';
}

/**
 * The covered fields in canonical order, then the hash: the columns of a row read as an array
 * of values (chainHashOfValues, ChainVerifier.pushValues).
 */
export const CHAIN_COLUMNS = [...COVERED_KEYS.map(([key]) => key), 'hash'] as const;
const PREV_HASH_AT = CHAIN_COLUMNS.indexOf('prev_hash');
const SEQ_AT = CHAIN_COLUMNS.indexOf('seq');
const HASH_AT = CHAIN_COLUMNS.indexOf('hash');
const NAMES_IN_ORDER = COVERED_KEYS.map(([, name], i) => (i === 0 ? '{' : ',') + name);

/**
 * chainHash of a row read as values in CHAIN_COLUMNS order, or null when a value is not text, a
 * finite number or null (the caller then builds the row and takes chainHash's generic path).
 * Reading a row as an array and hashing it in place costs about a quarter less than reading it
 * as an object (a whole trail's walk, audit verify).
 */
export function chainHashOfValues(values: readonly unknown[]): string | null {
	let out = '';
	for (let i = 0; i < NAMES_IN_ORDER.length; i++) {
		const value = values[i];
		let text: string;
		if (value === null) text = 'null';
		else if (typeof value === 'string') text = JSON.stringify(value);
		else if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
		else return null;
		out += NAMES_IN_ORDER[i] + text;
	}
	return sha256Hex((values[PREV_HASH_AT] as string) + out + '}');
}

/** A row read as values in CHAIN_COLUMNS order, as an object. */
export function chainRowOfValues(values: readonly unknown[]): ChainRow {
	const row: Record<string, unknown> = {};
	for (let i = 0; i < CHAIN_COLUMNS.length; i++) row[CHAIN_COLUMNS[i]!] = values[i];
	return row as unknown as ChainRow;
}

/** hash = SHA-256(previous hash + canonical JSON of this row). */
export function chainHash(row: ChainedFields): string {
	const fast = coveredJson(row);
	if (fast !== null) return sha256Hex(row.prev_hash + fast);
	// Name every covered field, so a row read back with its hash (or any extra column) hashes alike.
	const covered: ChainedFields = {
		seq: row.seq,
		at: row.at,
		actor_id: row.actor_id,
		actor_label: row.actor_label,
		actor_role: row.actor_role,
		site_id: row.site_id,
		action: row.action,
		entity_type: row.entity_type,
		entity_id: row.entity_id,
		old_values: row.old_values,
		new_values: row.new_values,
		reason: row.reason,
		request_id: row.request_id,
		prev_hash: row.prev_hash
	};
	return sha256Hex(row.prev_hash + canonicalJson(covered));
}

export type ChainProblem =
	| { seq: number; kind: 'sequence'; message: string }
	| { seq: number; kind: 'link'; message: string }
	| { seq: number; kind: 'hash'; message: string }
	| { seq: number; kind: 'head'; message: string };

export interface ChainRow extends ChainedFields {
	hash: string;
}

/**
 * Walks rows in sequence order and returns the first problem, or null when every row chains.
 * Feed it rows one at a time (see `ChainVerifier`) so a long trail never sits in memory at once.
 */
export class ChainVerifier {
	#expectedSeq = 1;
	#prevHash = GENESIS_HASH;
	#problem: ChainProblem | null = null;
	/** A part of the chain (`ChainPart`): the first row's place is checked when parts are joined. */
	readonly #part: boolean;
	#first: { seq: number; prev_hash: string } | null = null;
	count = 0;

	/**
	 * `{ part: true }`: a run of rows from anywhere in the trail, its first row taken as it comes
	 * (its sequence number and previous-hash are held against the run before by `joinChainParts`).
	 */
	constructor(opts: { part?: boolean } = {}) {
		this.#part = opts.part ?? false;
	}

	get problem(): ChainProblem | null {
		return this.#problem;
	}
	get lastSeq(): number {
		return this.#expectedSeq - 1;
	}
	get lastHash(): string {
		return this.#prevHash;
	}

	/** Returns false once a problem has been found. */
	push(row: ChainRow): boolean {
		return this.#placed(row.seq, row.prev_hash) && this.#hashed(row.seq, row.hash, chainHash(row));
	}

	/** push() for a row read as values in CHAIN_COLUMNS order (no object made for it). */
	pushValues(values: readonly unknown[]): boolean {
		const seq = Number(values[SEQ_AT]);
		if (!this.#placed(seq, values[PREV_HASH_AT] as string)) return false;
		const computed = chainHashOfValues(values) ?? chainHash(chainRowOfValues(values));
		return this.#hashed(seq, values[HASH_AT] as string, computed);
	}

	/** The row's place: its sequence number and previous-hash against the walk so far. */
	#placed(seq: number, prevHash: string): boolean {
		if (this.#problem) return false;
		if (this.#part && this.#first === null) {
			this.#first = { seq, prev_hash: prevHash };
			this.#expectedSeq = seq;
			this.#prevHash = prevHash;
		}
		if (seq !== this.#expectedSeq) {
			this.#problem = sequenceProblem(seq, this.#expectedSeq);
			return false;
		}
		if (prevHash !== this.#prevHash) {
			this.#problem = linkProblem(seq);
			return false;
		}
		return true;
	}

	/** The row's contents: its stored hash against the one computed; the walk moves on. */
	#hashed(seq: number, hash: string, computed: string): boolean {
		if (computed !== hash) {
			this.#problem = {
				seq,
				kind: 'hash',
				message: `row ${seq}: its contents do not match its hash (the row was altered)`
			};
			return false;
		}
		this.#expectedSeq += 1;
		this.#prevHash = hash;
		this.count += 1;
		return true;
	}

	/** The part's walk, to be joined with the others (`joinChainParts`). */
	part(): ChainPart {
		return {
			first: this.#first,
			count: this.count,
			lastSeq: this.lastSeq,
			lastHash: this.#prevHash,
			problem: this.#problem
		};
	}

	/** Compares the end of the walk with the recorded chain head. */
	finish(head: { seq: number; hash: string } | null): ChainProblem | null {
		if (this.#problem) return this.#problem;
		this.#problem = endProblem(this.lastSeq, this.lastHash, head);
		return this.#problem;
	}
}

function sequenceProblem(seq: number, expected: number): ChainProblem {
	return {
		seq,
		kind: 'sequence',
		message: `row ${seq}: expected sequence number ${expected} (a row is missing or was inserted)`
	};
}

function linkProblem(seq: number): ChainProblem {
	return {
		seq,
		kind: 'link',
		message: `row ${seq}: its previous-hash does not match row ${seq - 1}'s hash`
	};
}

/** The end of the walk (its last row) against the recorded chain head. */
function endProblem(
	lastSeq: number,
	lastHash: string,
	head: { seq: number; hash: string } | null
): ChainProblem | null {
	const headSeq = head?.seq ?? 0;
	const headHash = head?.hash ?? GENESIS_HASH;
	if (headSeq === lastSeq && headHash === lastHash) return null;
	return {
		seq: lastSeq + 1,
		kind: 'head',
		message: `the trail ends at row ${lastSeq} but the recorded chain head is row ${headSeq} (rows were removed from the end, or the head was altered)`
	};
}

/** What a walk over one run of the trail found (`new ChainVerifier({ part: true })`). */
export interface ChainPart {
	/** The run's first row (null: the run had no rows). */
	first: { seq: number; prev_hash: string } | null;
	/** Rows that chained within the run, before its first problem. */
	count: number;
	lastSeq: number;
	lastHash: string;
	/** The first problem inside the run; its first row's place in the trail is not checked here. */
	problem: ChainProblem | null;
}

/**
 * The runs of a trail walked apart (in sequence order, together covering every row), joined into
 * what one walk from the first row finds: the same first problem and the same count. Each run
 * checked its rows against each other; here each run's first row is held against the end of the
 * runs before it (sequence number, then previous-hash), as a single walk would have, and the end
 * against the recorded head.
 */
export function joinChainParts(
	parts: readonly ChainPart[],
	head: { seq: number; hash: string } | null
): { count: number; problem: ChainProblem | null } {
	let expectedSeq = 1;
	let prevHash = GENESIS_HASH;
	let count = 0;
	for (const part of parts) {
		if (part.first === null) continue;
		const { seq, prev_hash } = part.first;
		if (seq !== expectedSeq) return { count, problem: sequenceProblem(seq, expectedSeq) };
		if (prev_hash !== prevHash) return { count, problem: linkProblem(seq) };
		count += part.count;
		if (part.problem) return { count, problem: part.problem };
		expectedSeq = part.lastSeq + 1;
		prevHash = part.lastHash;
	}
	return { count, problem: endProblem(expectedSeq - 1, prevHash, head) };
}
