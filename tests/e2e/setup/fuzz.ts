// What the fuzz files share: the nasty values, the database watch that proves a refused request
// changed nothing, and the tally of cases each endpoint ran.
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { expect } from 'vitest';
import pg from 'pg';
import { AUDIT_ENTITY_TYPES, type AuditEntityType } from '../../../src/lib/server/audit/actions';
import type { InProcessServer } from './in-process';

/**
 * Record types with no table to watch: a user's row counts failed sign-ins (bookkeeping any
 * request may change), an export is an event, the allocation list lives in allocation_slot.
 */
const UNWATCHED = new Set<AuditEntityType>(['user', 'export', 'allocation_list']);

/** Cases per endpoint: at least 500 in `npm test` and CI; `npm run fuzz` sets 10,000. */
export const RUNS = Math.max(1, Number(process.env.VIGIL_FUZZ_RUNS ?? 500));
/** Cases sent at once (the server answers them together; each is judged alone). */
export const BATCH = 8;

/** Audit entries that record a refusal itself (a failed signing or sign-in), not a change. */
export const REFUSAL_ENTRIES = /[._](failed|refused|throttled)$/;

/**
 * Every table of clinical (and trial) data, and the people and sites they belong to; not the
 * sessions, throttles, challenges and alerts bookkeeping, which change on any request. The
 * record types the audit trail names are the vocabulary's list, so a new one is watched too.
 */
const DIGESTED = [
	...AUDIT_ENTITY_TYPES.filter((type) => !UNWATCHED.has(type)),
	// Tables the trail reaches through their parent record.
	'user_site',
	'data_query_step',
	'source_verification',
	'casebook_freeze',
	'study_lock',
	'study_unlock_request',
	'randomisation',
	'allocation_slot',
	'user_totp',
	'recovery_code'
];

/** Values that have broken parsers before, in real field names. */
export const NASTY: readonly unknown[] = [
	'\u0000',
	'\u0000\u0000\u0000',
	'\u200b\u200b\u200b',
	'\u202e',
	'\ud800',
	'0x78',
	'0b11',
	'1e3',
	'-0',
	'NaN',
	'Infinity',
	'true',
	'on',
	'2026-02-30',
	'2026-02-29',
	'0001-01-01',
	'9999-12-31T00:00',
	'2026-13-01T25:61',
	'2026-11-01T10:00:00+25:00',
	'24:00',
	'=HYPERLINK("http://x")',
	'+1',
	'-PT30M',
	'@SUM(A1)',
	'...',
	'',
	' ',
	'<script>alert(1)</script>',
	"'; drop table participant; --",
	'%00',
	'../../etc/passwd',
	'x'.repeat(5000),
	'é'.repeat(2000),
	'adverse_event:1:',
	'vital_reading:999999:1',
	'dosing_session:abc:',
	'__proto__',
	'constructor'
];

/** Well-formed values of the kinds the forms and bodies take, so some cases get past parsing. */
export const PLAUSIBLE: readonly unknown[] = [
	'2026-11-01',
	'2026-11-01T10:00',
	'2026-11-01T10:00:00Z',
	'10:30',
	'T0',
	'T+60',
	'baseline',
	'mild',
	'moderate',
	'1',
	'2',
	'3',
	'120',
	'80',
	'36.8',
	'C',
	'seated',
	'other',
	'site_staff',
	'participant',
	'investigator',
	'coordinator',
	'acknowledged',
	'review',
	'approval',
	'answer',
	'close',
	'resolved',
	'PHQ9',
	'link',
	'en',
	'Corrected after checking the source document.',
	'Checked against the source notes; entered on the wrong visit.'
];

/** A value for a field: nasty, plausible, or arbitrary. */
export function fieldText(): fc.Arbitrary<string> {
	return fc.oneof(
		{ weight: 4, arbitrary: fc.constantFrom(...NASTY.filter((v) => typeof v === 'string')) },
		{ weight: 3, arbitrary: fc.constantFrom(...PLAUSIBLE.map(String)) },
		{ weight: 2, arbitrary: fc.string({ maxLength: 40, unit: 'grapheme' }) },
		{ weight: 1, arbitrary: fc.string({ maxLength: 12, unit: 'binary' }) },
		{ weight: 2, arbitrary: fc.integer({ min: -1_000_000, max: 1_000_000 }).map(String) },
		{ weight: 1, arbitrary: fc.double({ noNaN: false }).map(String) }
	) as fc.Arbitrary<string>;
}

/** The three kinds of record id a case may name: the role's own, another site's, or none. */
export function recordId(own: unknown, foreign: unknown): fc.Arbitrary<string> {
	const garbage = fc.constantFrom('0', '-1', '999999', '1.5', '1e3', '0x10', 'abc', '9'.repeat(20));
	return fc.oneof(
		{ weight: own === undefined ? 0 : 7, arbitrary: fc.constant(String(own)) },
		{ weight: foreign === undefined ? 0 : 2, arbitrary: fc.constant(String(foreign)) },
		{ weight: 2, arbitrary: garbage }
	);
}

/** Reads the fuzzed server's database beside it: the audit trail's tail and a digest of the data. */
export interface Watch {
	/** Changes whenever anything is written (SQLite's data_version, PostgreSQL's next xid). */
	version(): Promise<string>;
	digest(): Promise<string>;
	auditHead(): Promise<number>;
	auditSince(seq: number): Promise<Array<{ action: string; request_id: string | null }>>;
	/** Rows of a query, for finding records (SQL both databases read alike). */
	rows<T>(text: string): Promise<T[]>;
	close(): Promise<void>;
}

export function watchDatabase(server: InProcessServer): Watch {
	if (server.dbFile) {
		const lite = new Database(server.dbFile, { readonly: true, fileMustExist: true });
		const since = lite.prepare('select action, request_id from audit_event where seq > ?');
		return {
			version: async () => String(lite.pragma('data_version', { simple: true })),
			digest: async () => {
				const hash = createHash('sha256');
				for (const t of DIGESTED) {
					hash.update(t);
					for (const row of lite.prepare(`select * from ${t} order by 1`).iterate()) {
						hash.update(JSON.stringify(row));
					}
				}
				return hash.digest('hex');
			},
			auditHead: async () =>
				(lite.prepare('select max(seq) as seq from audit_event').get() as { seq: number }).seq,
			auditSince: async (seq) =>
				since.all(seq) as Array<{ action: string; request_id: string | null }>,
			rows: async <T>(text: string) => lite.prepare(text).all() as T[],
			close: async () => void lite.close()
		};
	}
	const pool = new pg.Pool({ connectionString: server.databaseUrl, max: 2 });
	const digestSql = DIGESTED.map(
		(t) =>
			`select '${t}' as t, md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as d from ${t} x`
	).join(' union all ');
	return {
		version: async () =>
			(await pool.query<{ v: string }>('select pg_snapshot_xmax(pg_current_snapshot())::text as v'))
				.rows[0]!.v,
		digest: async () => {
			const { rows } = await pool.query<{ t: string; d: string }>(digestSql);
			return createHash('sha256')
				.update(rows.map((r) => `${r.t}${r.d}`).join())
				.digest('hex');
		},
		auditHead: async () =>
			Number(
				(await pool.query<{ seq: string }>('select max(seq) as seq from audit_event')).rows[0]!.seq
			),
		auditSince: async (seq) =>
			(
				await pool.query<{ action: string; request_id: string | null }>(
					'select action, request_id from audit_event where seq > $1',
					[seq]
				)
			).rows,
		rows: async <T>(text: string) => (await pool.query(text)).rows as T[],
		close: () => pool.end()
	};
}

/**
 * Whether the data is as it was: the digest is taken again only when the database says it was
 * written at all, so a refused batch usually costs one cheap read.
 */
export class DataGuard {
	private version = '';
	private digest = '';
	constructor(private readonly watch: Watch) {}

	/** Before a batch: the digest of the data as it stands. */
	async settle(): Promise<void> {
		const version = await this.watch.version();
		if (version === this.version && this.digest) return;
		this.digest = await this.watch.digest();
		this.version = version;
	}

	/** After a batch: whether the data is the same as at `settle`. */
	async unchanged(): Promise<boolean> {
		const version = await this.watch.version();
		if (version === this.version) return true;
		const digest = await this.watch.digest();
		const same = digest === this.digest;
		this.version = version;
		this.digest = digest;
		return same;
	}
}

/** What each endpoint ran, for the count a reviewer reads at the end. */
export interface Tally {
	cases: number;
	refused: number;
	accepted: number;
	/** Sent over a real socket rather than handed to the server in-process. */
	socket: number;
	/** Answered as a whole page (a form posted without JavaScript). */
	pages: number;
}

export class Tallies {
	readonly byEndpoint = new Map<string, Tally>();
	of(endpoint: string): Tally {
		let t = this.byEndpoint.get(endpoint);
		if (!t) {
			t = { cases: 0, refused: 0, accepted: 0, socket: 0, pages: 0 };
			this.byEndpoint.set(endpoint, t);
		}
		return t;
	}
	report(title: string, seconds: number): string {
		const rows = [...this.byEndpoint.entries()].map(
			([k, t]) =>
				`${String(t.cases).padStart(6)} ${String(t.refused).padStart(6)} ${String(t.accepted).padStart(6)} ${String(t.socket).padStart(5)} ${String(t.pages).padStart(5)}  ${k}`
		);
		const total = [...this.byEndpoint.values()].reduce((n, t) => n + t.cases, 0);
		const least = Math.min(...[...this.byEndpoint.values()].map((t) => t.cases));
		return [
			`${title}: ${total} cases over ${this.byEndpoint.size} endpoints in ${seconds.toFixed(0)} s (at least ${least} each; VIGIL_FUZZ_RUNS=${RUNS})`,
			' cases refused accepted socket pages  endpoint',
			...rows
		].join('\n');
	}
}

/** A case's body as a short text for a failure message. */
export const shown = (value: unknown) => {
	try {
		return JSON.stringify(value)?.slice(0, 400) ?? String(value);
	} catch {
		return String(value).slice(0, 400);
	}
};

/** One case's answer, as far as the batch judge reads it. */
export interface FuzzAnswer {
	status: number;
	requestId?: string | null;
}

/** How a fuzz file sends a case and reads its answer. */
export interface BatchJudge<C, A extends FuzzAnswer> {
	watch: Watch;
	guard: DataGuard;
	tally: Tally;
	/** Whether the fuzzing user is signed in (then a 401 means the rest tested nothing). */
	signedIn: boolean;
	send(c: C): Promise<A>;
	/** The case in words, for a failed expectation. */
	describe(c: C, a: A): string;
	/** Sent over a real socket; the file's own counts (pages) go in `count`. */
	overSocket(c: C): boolean;
	count?(c: C): void;
	refused(a: A): boolean;
	/** What a refusal must say besides writing nothing: the file's own checks. */
	onRefusal(c: C, a: A, what: string): void;
}

/**
 * A batch of cases is posted at once; each is judged alone (never a 5xx, the fuzzing user stays
 * signed in, a refusal writes nothing to the audit trail) and the data over the batch: every
 * change writes an audit entry, so a batch whose cases wrote none left the data as it was.
 */
export async function judgeBatch<C, A extends FuzzAnswer>(
	batch: C[],
	j: BatchJudge<C, A>
): Promise<void> {
	await j.guard.settle();
	const head = await j.watch.auditHead();
	const answers = await Promise.all(batch.map((c) => j.send(c)));
	const written = new Map<string, string[]>();
	for (const row of await j.watch.auditSince(head)) {
		const list = written.get(row.request_id ?? '') ?? [];
		list.push(row.action);
		written.set(row.request_id ?? '', list);
	}
	let silent = true;
	for (const [i, res] of answers.entries()) {
		const c = batch[i]!;
		const what = j.describe(c, res);
		j.tally.cases += 1;
		if (j.overSocket(c)) j.tally.socket += 1;
		j.count?.(c);
		expect(res.status, what).toBeLessThan(500);
		if (j.signedIn) expect(res.status, `the fuzzing user was signed out: ${what}`).not.toBe(401);
		const changes = (written.get(res.requestId ?? '') ?? []).filter(
			(a) => !REFUSAL_ENTRIES.test(a)
		);
		if (!j.refused(res)) {
			j.tally.accepted += 1;
			if (changes.length > 0) silent = false;
			continue;
		}
		j.tally.refused += 1;
		expect(changes, `a refused request wrote to the audit trail: ${what}`).toEqual([]);
		j.onRefusal(c, res, what);
	}
	if (silent) {
		const stray = [...written.values()].flat().filter((a) => !REFUSAL_ENTRIES.test(a));
		expect(stray, `unattributed audit entries: ${shown(batch)}`).toEqual([]);
		const same = await j.guard.unchanged();
		expect(same, `the data changed with no audit entry: ${shown(batch)}`).toBe(true);
	}
}
