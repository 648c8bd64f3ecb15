// A synthetic trial for the benchmark, built fast but from the real code: a few dozen template
// participants are written through the same services a coordinator uses (demo generator: every
// record validated, every flag raised by the domain's safety rules, every change audited), then
// copied in bulk to the tier's size. Each copy gets new ids, site and subject codes; its audit
// rows are the templates' rows re-chained with the audit module's own chainHash, so
// `audit verify` passes on the result. Clinical flags of a copy are the template's flags, which
// the domain computed for the same values.
import type SQLite from 'better-sqlite3';
import { dirname, join } from 'node:path';
import { chainHash, type ChainedFields } from '../../src/lib/server/audit/chain';
import { signHead, useHeadSigner } from '../../src/lib/server/audit/head-signature';
import { loadOrCreateSigningKey } from '../../src/lib/server/audit/signing-key';
import { openDatabase } from '../../src/lib/server/db';
import { migrateToLatest } from '../../src/lib/server/db/migrate';
import { generateDemoData } from '../../src/lib/server/demo/generate';
import { reportPastSeriousEvents, reviewPastDemoFlags } from '../../src/lib/server/demo/review';
import { seedDemo } from '../../src/lib/server/demo/seed';
import { systemContext } from '../../src/lib/server/runtime/context';
import { createSite } from '../../src/lib/server/services/people/sites';
import { rebuildSummaries } from '../../src/lib/server/services/dashboards/summaries';

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

/** Clinical tables copied with a participant, parents first. */
const TABLES = [
	'participant',
	'visit',
	'dosing_session',
	'vital_reading',
	'adverse_event',
	'scale_administration',
	'signature',
	'flag'
] as const;
type Table = (typeof TABLES)[number];

/** Audit rows about these entities are copied with them. */
const AUDITED = new Set<string>(TABLES);

export interface BuildReport {
	seconds: { templates: number; copies: number };
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

/** `id ± offsets` for one table's INSERT … SELECT, by column name. */
function copyStatement(sqlite: SQLite.Database, table: Table): SQLite.Statement {
	const cols = columnsOf(sqlite, table);
	const expr = cols.map((c) => {
		if (c === 'id') return `id + @${table}`;
		if (c === 'site_id') return '@site';
		if (c === 'subject_code') return `printf('%s-%04d', @siteCode, @codeBase + id)`;
		if (FOREIGN[c]) return `${c} + @${FOREIGN[c]}`;
		if (table === 'flag' && c === 'source_id') {
			return `source_id + case source_type ${['vital_reading', 'dosing_session', 'adverse_event', 'scale_administration'].map((t) => `when '${t}' then @${t}`).join(' ')} else 0 end`;
		}
		if (table === 'signature' && c === 'entity_id') {
			return `entity_id + case entity_type ${['dosing_session', 'adverse_event', 'scale_administration'].map((t) => `when '${t}' then @${t}`).join(' ')} else 0 end`;
		}
		return c;
	});
	const where =
		table === 'participant' ? 'id <= @maxParticipant' : `participant_id <= @maxParticipant`;
	const whereSig =
		table === 'signature'
			? `entity_id <= case entity_type ${['dosing_session', 'adverse_event', 'scale_administration'].map((t) => `when '${t}' then @max_${t}`).join(' ')} else 0 end`
			: where;
	return sqlite.prepare(
		`insert into ${table} (${cols.join(', ')}) select ${expr.join(', ')} from ${table} where ${whereSig}`
	);
}

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
	// Building only: the server opens the file again at synchronous=FULL.
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
	copyParticipants(sqlite, tier, seededSeq, log);
	// The copies bypassed the services, so their dashboard summaries are computed here, from the
	// copied history, by the same queries the write path runs for one participant.
	await rebuildSummaries(db);
	const copies = performance.now() - t;
	const rows = {} as BuildReport['rows'];
	for (const table of [...TABLES, 'audit_event'] as const) {
		rows[table] = (sqlite.prepare(`select count(*) n from ${table}`).get() as { n: number }).n;
	}
	sqlite.pragma('wal_checkpoint(TRUNCATE)');
	await db.destroy();
	return { seconds: { templates: templates / 1000, copies: copies / 1000 }, rows };
}

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

/** Payload keys naming another record, and the table whose id offset they take. */
const PAYLOAD_IDS: Record<string, Table> = {
	participantId: 'participant',
	participant_id: 'participant',
	visitId: 'visit',
	visit_id: 'visit',
	dosingSessionId: 'dosing_session',
	dosing_session_id: 'dosing_session',
	session: 'dosing_session'
};

/**
 * A template's audit payload as the copy's: the ids it names moved by the copy's offsets, its
 * site and subject code the copy's, so `audit verify` finds each copied record matching its trail.
 */
function copiedPayload(
	text: string | null,
	row: ChainedFields,
	params: Record<string, number | string>
): string | null {
	if (text === null) return null;
	const payload = JSON.parse(text) as unknown;
	if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return text;
	const out: Record<string, unknown> = { ...(payload as Record<string, unknown>) };
	for (const [key, value] of Object.entries(out)) {
		const table = PAYLOAD_IDS[key];
		if (table && typeof value === 'number') out[key] = value + (params[table] as number);
		else if ((key === 'siteId' || key === 'site_id') && typeof value === 'number') {
			out[key] = params.site;
		} else if (
			(key === 'subjectCode' || key === 'subject_code') &&
			row.entity_type === 'participant' &&
			row.entity_id !== null
		) {
			const n = (params.codeBase as number) + Number(row.entity_id);
			out[key] = `${params.siteCode}-${String(n).padStart(4, '0')}`;
		}
	}
	return JSON.stringify(out);
}

function copyParticipants(
	sqlite: SQLite.Database,
	tier: Tier,
	seededSeq: number,
	log: (line: string) => void
): void {
	const max = maxIds(sqlite);
	const sites = sqlite.prepare('select id, code from site order by code').all() as Array<{
		id: number;
		code: string;
	}>;
	const inserts = TABLES.map((table) => copyStatement(sqlite, table));
	const templateAudit = sqlite
		.prepare(
			`select * from audit_event where seq > ? and entity_type in (${[...AUDITED].map(() => '?').join(', ')}) order by seq`
		)
		.all(seededSeq, ...AUDITED) as Array<ChainedFields & { hash: string }>;
	const head = sqlite.prepare('select seq, hash from audit_head where id = 1').get() as {
		seq: number;
		hash: string;
	};
	const auditColumns = columnsOf(sqlite, 'audit_event');
	const insertAudit = sqlite.prepare(
		`insert into audit_event (${auditColumns.join(', ')}) values (${auditColumns.map((c) => `@${c}`).join(', ')})`
	);
	let seq = head.seq;
	let prev = head.hash;
	const copies = Math.ceil(tier.participants / tier.templates) - 1;
	const perSite = new Map<number, number>();
	const copyOne = sqlite.transaction((k: number) => {
		const site = sites[k % sites.length]!;
		const nth = (perSite.get(site.id) ?? 0) + 1;
		perSite.set(site.id, nth);
		const params: Record<string, number | string> = {
			site: site.id,
			siteCode: site.code,
			codeBase: 1000 + (nth - 1) * max.participant,
			maxParticipant: max.participant
		};
		for (const table of TABLES) params[table] = k * max[table];
		for (const t of ['dosing_session', 'adverse_event', 'scale_administration'] as const) {
			params[`max_${t}`] = max[t];
		}
		for (const insert of inserts) insert.run(params);
		for (const row of templateAudit) {
			seq += 1;
			const entityOffset = (params[row.entity_type] as number | undefined) ?? 0;
			const fields: ChainedFields = {
				...row,
				old_values: copiedPayload(row.old_values, row, params),
				new_values: copiedPayload(row.new_values, row, params),
				seq,
				site_id: row.site_id === null ? null : site.id,
				entity_id: row.entity_id === null ? null : String(Number(row.entity_id) + entityOffset),
				prev_hash: prev
			};
			const hash = chainHash(fields);
			insertAudit.run({ ...row, ...fields, hash });
			prev = hash;
		}
		const signed = signHead({ seq, hash: prev });
		sqlite
			.prepare(
				'update audit_head set seq = ?, hash = ?, signature = ?, key_fingerprint = ? where id = 1'
			)
			.run(seq, prev, signed.signature, signed.key_fingerprint);
	});
	for (let k = 1; k <= copies; k++) {
		copyOne(k);
		if (k % Math.max(1, Math.floor(copies / 10)) === 0) log(`  copied ${k} of ${copies}`);
	}
}
