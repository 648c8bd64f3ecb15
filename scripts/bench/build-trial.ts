// A synthetic trial for the benchmark, built fast but from the real code: a few dozen template
// participants are written through the same services a coordinator uses (demo generator: every
// record validated, every flag raised by the domain's safety rules, every change audited), then
// copied in bulk to the tier's size. Each copy gets new ids, site and subject codes; its audit
// rows are the templates' rows re-chained with the audit module's own chainHash, so
// `audit verify` passes on the result. Clinical flags of a copy are the template's flags, which
// the domain computed for the same values, naming the copy's records (source and condition key).
// The copy runs in bulk (no journal, indexes made again at the end, foreign keys checked once);
// the summaries are then rebuilt from the copied history by the dashboards' own code.
import type SQLite from 'better-sqlite3';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ChainedFields } from '../../src/lib/server/audit/chain';
import { signHead, useHeadSigner } from '../../src/lib/server/audit/head-signature';
import { loadOrCreateSigningKey } from '../../src/lib/server/audit/signing-key';
import { openDatabase, refreshPlannerStatistics } from '../../src/lib/server/db';
import { migrateToLatest } from '../../src/lib/server/db/migrate';
import { generateDemoData } from '../../src/lib/server/demo/generate';
import { reportPastSeriousEvents, reviewPastDemoFlags } from '../../src/lib/server/demo/review';
import { seedDemo } from '../../src/lib/server/demo/seed';
import { systemContext } from '../../src/lib/server/runtime/context';
import { createSite } from '../../src/lib/server/services/people/sites';
import { rebuildSummaries } from '../../src/lib/server/services/dashboards/summaries';
import {
	auditTemplate,
	copiedAuditFields,
	SOURCES,
	TABLES,
	type ChainJob,
	type CopyParams,
	type Table
} from './trial-chain';

export interface Tier {
	name: 'smoke' | 'site' | 'trial';
	participants: number;
	sites: number;
	/** Participants written through the services, then copied. */
	templates: number;
}

export const TIERS: Record<Tier['name'], Tier> = {
	/** A quick check that the bench runs; its figures mean little. */
	smoke: { name: 'smoke', participants: 100, sites: 3, templates: 20 },
	site: { name: 'site', participants: 2_000, sites: 2, templates: 40 },
	trial: { name: 'trial', participants: 30_000, sites: 64, templates: 60 }
};

/** Audit rows about these entities are copied with them. */
const AUDITED = new Set<string>(TABLES);

export interface BuildReport {
	/** indexes and summaries: absent when the trial was not built in this run (reuse-trial.ts). */
	seconds: { templates: number; copies: number; indexes?: number; summaries?: number };
	rows: Record<Table | 'audit_event', number>;
}

const FOREIGN: Record<string, Table> = {
	participant_id: 'participant',
	visit_id: 'visit',
	dosing_session_id: 'dosing_session'
};

function columnsOf(sqlite: SQLite.Database, table: string): string[] {
	return (sqlite.pragma(`table_info(${table})`) as Array<{ name: string }>).map((c) => c.name);
}

/**
 * One INSERT … SELECT per table copying every template row once per copy: the copies (a list
 * of k, site, site code and subject-code base) times the template rows (a rowid range),
 * in copy order then id order, so each table's ids only grow. Ids move by `k × max id`.
 */
function copyStatement(
	sqlite: SQLite.Database,
	table: Table,
	max: Record<Table, number>,
	copies: number
): string {
	const cols = columnsOf(sqlite, table);
	const offset = (t: Table) => `c.k * ${max[t]}`;
	const byType = (column: string, types: readonly Table[]) =>
		`case t.${column} ${types.map((type) => `when '${type}' then ${offset(type)}`).join(' ')} else 0 end`;
	const expr = cols.map((c) => {
		if (c === 'id') return `t.id + ${offset(table)}`;
		if (c === 'site_id') return 'c.site';
		if (c === 'subject_code') return `printf('%s-%04d', c.site_code, c.code_base + t.id)`;
		if (FOREIGN[c]) return `t.${c} + ${offset(FOREIGN[c])}`;
		if (table === 'flag' && c === 'source_id') {
			return `t.source_id + ${byType('source_type', SOURCES)}`;
		}
		if (table === 'flag' && c === 'condition_key') {
			// The condition's identity names its source (`rule|vital_reading:12`, `…|dosing_session:3|tp:2`):
			// the copy's flag names the copy's record, as the safety rules name it on re-evaluation.
			const token = (id: string) => `t.source_type || ':' || (${id}) || '|'`;
			const moved = `replace(t.condition_key || '|', ${token('t.source_id')}, ${token(`t.source_id + ${byType('source_type', SOURCES)}`)})`;
			return `substr(${moved}, 1, length(${moved}) - 1)`;
		}
		if (table === 'signature' && c === 'entity_id') {
			return `t.entity_id + ${byType('entity_type', SIGNED)}`;
		}
		return `t.${c}`;
	});
	// The template rows are the rows there before copying (ids up to the table's max); of those, a
	// participant's (all of them: every participant is a template) or a signature of a record copied.
	const of =
		table === 'participant'
			? ''
			: table === 'signature'
				? ` and t.entity_id <= case t.entity_type ${SIGNED.map((type) => `when '${type}' then ${max[type]}`).join(' ')} else 0 end`
				: ` and t.participant_id <= ${max.participant}`;
	const values = Array.from({ length: copies }, () => '(?, ?, ?, ?)').join(', ');
	return `with c (k, site, site_code, code_base) as (select cast(column1 as integer), cast(column2 as integer), column3, cast(column4 as integer) from (values ${values})) insert into ${table} (${cols.join(', ')}) select ${expr.join(', ')} from c cross join ${table} t where t.id <= ${max[table]}${of} order by c.k, t.id`;
}

/** Signed records whose signatures are copied with them. */
const SIGNED = ['dosing_session', 'adverse_event', 'scale_administration'] as const;

export async function buildTrial(
	file: string,
	tier: Tier,
	password: string,
	log: (line: string) => void
): Promise<BuildReport> {
	const { db, sqlite } = openDatabase(file);
	// The head is signed, as on a running site, with the key the bench's server is then given
	// (signing.key beside the database), so `audit verify` with that key passes on the built trial.
	useHeadSigner(loadOrCreateSigningKey(join(dirname(file), 'signing.key')));
	// Building only: the server opens the file again at synchronous=FULL (and the bulk copy below
	// runs without a journal).
	sqlite.pragma('synchronous = OFF');
	await migrateToLatest(db);
	const today = new Date();
	await seedDemo(db, password, new Date(today.getTime() - 18 * 30 * 86_400_000));
	const system = systemContext(db, 'bench');
	for (let n = 3; n <= tier.sites; n++) {
		const code = String(n).padStart(2, '0');
		await createSite(system, { code, name: `Bench site ${code}`, timezone: 'Europe/Berlin' });
	}
	const seededSeq = (sqlite.prepare('select max(seq) s from audit_event').get() as { s: number }).s;
	let t = performance.now();
	log(`  ${tier.templates} template participants through the services…`);
	await generateDemoData(db, { participants: tier.templates, seed: 1, today });
	await reviewPastDemoFlags(db, today);
	await reportPastSeriousEvents(db, today);
	const templates = performance.now() - t;
	t = performance.now();
	const restore = bulkMode(sqlite);
	await copyParticipants(sqlite, tier, seededSeq, log);
	const copies = performance.now() - t;
	t = performance.now();
	restore.indexes();
	log(`  indexes rebuilt, foreign keys checked`);
	const indexes = performance.now() - t;
	t = performance.now();
	// The copies bypassed the services, so their dashboard summaries are computed here, from the
	// copied history, by the same queries the write path runs for one participant.
	await rebuildSummaries(db);
	refreshPlannerStatistics(sqlite);
	restore.journal();
	const summaries = performance.now() - t;
	log(`  summaries rebuilt, planner statistics refreshed`);
	const rows = {} as BuildReport['rows'];
	for (const table of [...TABLES, 'audit_event'] as const) {
		rows[table] = (sqlite.prepare(`select count(*) n from ${table}`).get() as { n: number }).n;
	}
	sqlite.pragma('wal_checkpoint(TRUNCATE)');
	await db.destroy();
	return {
		seconds: {
			templates: templates / 1000,
			copies: copies / 1000,
			indexes: indexes / 1000,
			summaries: summaries / 1000
		},
		rows
	};
}

/**
 * The bulk copy's settings: no journal (a failed build is thrown away, never rolled back), a large
 * page cache, foreign keys checked once at the end rather than per row, and the copied tables'
 * secondary indexes dropped, to be made again in one sort each. `indexes()` makes them again
 * (the same SQL) and checks the foreign keys; `journal()` returns the file to WAL, as the server
 * opens it. A bench fixture only: the services never write like this.
 */
function bulkMode(sqlite: SQLite.Database): { indexes: () => void; journal: () => void } {
	sqlite.pragma('wal_checkpoint(TRUNCATE)');
	sqlite.pragma('journal_mode = DELETE');
	// better-sqlite3's defensive mode refuses journal_mode=OFF; its unsafe mode lifts that.
	sqlite.unsafeMode(true);
	if (sqlite.pragma('journal_mode = OFF', { simple: true }) !== 'off') {
		throw new Error('The bulk copy could not turn the journal off');
	}
	sqlite.pragma('foreign_keys = OFF');
	sqlite.pragma('temp_store = MEMORY');
	const cacheSize = sqlite.pragma('cache_size', { simple: true }) as number;
	sqlite.pragma(`cache_size = ${-BULK_CACHE_KIB}`);
	const tables = [...TABLES, 'audit_event'];
	const dropped = sqlite
		.prepare(
			`select name, sql from sqlite_master where type = 'index' and sql is not null and tbl_name in (${tables.map(() => '?').join(', ')}) order by name`
		)
		.all(...tables) as Array<{ name: string; sql: string }>;
	for (const index of dropped) sqlite.exec(`drop index "${index.name}"`);
	return {
		indexes() {
			for (const index of dropped) sqlite.exec(index.sql);
			const broken = tables.flatMap(
				(table) => sqlite.pragma(`foreign_key_check(${table})`) as unknown[]
			);
			if (broken.length > 0) {
				throw new Error(
					`The copies broke ${broken.length} foreign keys: ${JSON.stringify(broken.slice(0, 3))}`
				);
			}
			sqlite.pragma('foreign_keys = ON');
		},
		journal() {
			sqlite.pragma(`cache_size = ${cacheSize}`);
			sqlite.pragma('journal_mode = WAL');
			sqlite.unsafeMode(false);
		}
	};
}

/** The page cache during the bulk copy: the audit trail's unique hash index stays in memory. */
const BULK_CACHE_KIB = 768 * 1024;

function maxIds(sqlite: SQLite.Database): Record<Table, number> {
	const out = {} as Record<Table, number>;
	for (const table of TABLES) {
		out[table] = (
			sqlite.prepare(`select coalesce(max(id), 0) m from ${table}`).get() as {
				m: number;
			}
		).m;
	}
	return out;
}

/**
 * The chain's hashes from trial-chain-worker.ts, one batch of copies at a time, in order. Run from
 * source (tsx, vitest), the worker registers tsx's loader first, as the read workers do.
 */
function chainInWorker(job: ChainJob): { next: () => Promise<string>; close: () => Promise<void> } {
	const entry = new URL('./trial-chain-worker.ts', import.meta.url);
	const bootstrap =
		`import('tsx/esm/api').then(({ register }) => { register(); ` +
		`return import(${JSON.stringify(entry.href)}); });`;
	const worker = new Worker(bootstrap, { eval: true, workerData: job });
	const ready: string[] = [];
	let waiting: { resolve: (batch: string) => void; reject: (e: Error) => void } | null = null;
	let failed: Error | null = null;
	const fail = (e: Error) => {
		failed ??= e;
		waiting?.reject(e);
		waiting = null;
	};
	worker.on('message', (batch: string) => {
		if (waiting) {
			waiting.resolve(batch);
			waiting = null;
		} else ready.push(batch);
	});
	worker.on('error', fail);
	worker.on('exit', (code) =>
		fail(new Error(`The chain worker ended (${code}) before its last batch`))
	);
	return {
		next() {
			const batch = ready.shift();
			if (batch !== undefined) return Promise.resolve(batch);
			if (failed) return Promise.reject(failed);
			return new Promise((resolve, reject) => {
				waiting = { resolve, reject };
			});
		},
		async close() {
			worker.removeAllListeners('exit');
			await worker.terminate();
		}
	};
}

/** Audit rows are written in transactions of this many copies' rows. */
const COPIES_PER_TRANSACTION = 25;

async function copyParticipants(
	sqlite: SQLite.Database,
	tier: Tier,
	seededSeq: number,
	log: (line: string) => void
): Promise<void> {
	const max = maxIds(sqlite);
	const sites = sqlite.prepare('select id, code from site order by code').all() as Array<{
		id: number;
		code: string;
	}>;
	const copies = Math.ceil(tier.participants / tier.templates) - 1;
	const perSite = new Map<number, number>();
	const plan: CopyParams[] = [];
	for (let k = 1; k <= copies; k++) {
		const site = sites[k % sites.length]!;
		const nth = (perSite.get(site.id) ?? 0) + 1;
		perSite.set(site.id, nth);
		plan.push({
			k,
			site: site.id,
			siteCode: site.code,
			codeBase: 1000 + (nth - 1) * max.participant
		});
	}

	// The clinical rows: one statement per table for all copies (a temporary table would keep
	// the WAL checkpoint at the end from running, so the copies are a VALUES list).
	const copyValues = plan.flatMap((c) => [c.k, c.site, c.siteCode, c.codeBase]);
	const statements = TABLES.map((table) =>
		sqlite.prepare(copyStatement(sqlite, table, max, plan.length))
	);
	sqlite.transaction(() => {
		for (const statement of statements) statement.run(copyValues);
	})();
	log(`  copied the clinical rows of ${copies} copies`);

	// The audit rows: each copy's are the templates' rows, chained in order by chainHash.
	const templateAudit = sqlite
		.prepare(
			`select * from audit_event where seq > ? and entity_type in (${[...AUDITED].map(() => '?').join(', ')}) order by seq`
		)
		.all(seededSeq, ...AUDITED) as Array<ChainedFields & { hash: string }>;
	const head = sqlite.prepare('select seq, hash from audit_head where id = 1').get() as {
		seq: number;
		hash: string;
	};
	// The hashes come from a worker running the same chain ahead of the inserts (the second
	// core); this thread makes each row again and writes it with its hash.
	const hashes = chainInWorker({
		rows: templateAudit,
		max,
		plan,
		seq: head.seq,
		hash: head.hash,
		copiesPerBatch: COPIES_PER_TRANSACTION
	});
	const templates = templateAudit.map(auditTemplate);
	const auditColumns = columnsOf(sqlite, 'audit_event');
	const insertAudit = sqlite.prepare(
		`insert into audit_event (${auditColumns.join(', ')}) values (${auditColumns.map(() => '?').join(', ')})`
	);
	let seq = head.seq;
	let prev = head.hash;
	const copyAudit = sqlite.transaction((batch: CopyParams[], batchHashes: string) => {
		let at = 0;
		for (const copy of batch) {
			for (const t of templates) {
				seq += 1;
				const fields = copiedAuditFields(t, copy, max, seq, prev);
				const hash = batchHashes.slice(at, at + 64);
				at += 64;
				insertAudit.run(
					auditColumns.map((c) =>
						c === 'hash'
							? hash
							: c in fields
								? fields[c as keyof ChainedFields]
								: t.row[c as keyof ChainedFields]
					)
				);
				prev = hash;
			}
		}
		if (at !== batchHashes.length) throw new Error('The chain worker sent a batch of another size');
	});
	try {
		const step = Math.max(1, Math.floor(copies / 10));
		for (let from = 0; from < plan.length; from += COPIES_PER_TRANSACTION) {
			const batch = plan.slice(from, from + COPIES_PER_TRANSACTION);
			copyAudit(batch, await hashes.next());
			const done = from + batch.length;
			if (Math.floor(done / step) > Math.floor(from / step) || done === plan.length) {
				log(`  chained the audit rows of ${done} of ${copies} copies`);
			}
		}
	} finally {
		await hashes.close();
	}
	const signed = signHead({ seq, hash: prev });
	sqlite
		.prepare(
			'update audit_head set seq = ?, hash = ?, signature = ?, key_fingerprint = ? where id = 1'
		)
		.run(seq, prev, signed.signature, signed.key_fingerprint);
}
