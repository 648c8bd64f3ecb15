// The bench on PostgreSQL (`--db postgres`): the trial built on SQLite is copied with `db copy`'s
// own code to a new database, on the server given or on a throwaway cluster with PostgreSQL's
// durable defaults (fsync and synchronous commit on), and the write rate is measured there beside
// raw `pg` transactions of the same shape.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { chainHash } from '../../src/lib/server/audit/chain';
import { openDatabase, openPostgres, type Db } from '../../src/lib/server/db';
import { copySqliteToPostgres } from '../../src/lib/server/db/copy';
import { systemContext, type ServiceContext } from '../../src/lib/server/runtime/context';
import { recordVitals } from '../../src/lib/server/services/capture/vitals';
import { newSessions, recheck, type Ratio } from './baselines';

export interface BenchPostgres {
	/** The bench's own database on the server. */
	url: string;
	stop: () => Promise<void>;
}

function withDatabase(url: string, name: string): string {
	const u = new URL(url);
	u.pathname = `/${name}`;
	return u.toString();
}

/** A new database holding a copy of the SQLite trial. */
export async function copyToPostgres(
	root: string,
	file: string,
	serverUrl: string | undefined,
	log: (line: string) => void
): Promise<BenchPostgres> {
	let admin = serverUrl;
	let cluster: string | null = null;
	if (!admin) {
		log('  starting a throwaway PostgreSQL cluster (durable settings)…');
		const out = execFileSync(join(root, 'scripts/pg-throwaway.sh'), ['start'], {
			env: { ...process.env, PG_DURABLE: '1' },
			encoding: 'utf8'
		}).trim();
		[admin, cluster] = out.split(/\s+/) as [string, string];
	}
	const name = `vigil_bench_${Date.now()}`;
	const client = new pg.Client({ connectionString: admin });
	await client.connect();
	await client.query(`create database "${name}"`);
	await client.end();
	const url = withDatabase(admin, name);
	const source = openDatabase(file);
	const target = openPostgres(url, 2);
	try {
		const t = performance.now();
		const report = await copySqliteToPostgres(source, target);
		const rows = report.tables.reduce((n, t) => n + t.rows, 0);
		log(`  copied ${rows} rows in ${((performance.now() - t) / 1000).toFixed(0)} s`);
	} finally {
		await source.db.destroy();
		await target.db.destroy();
	}
	return {
		url,
		async stop() {
			if (cluster) {
				execFileSync(join(root, 'scripts/pg-throwaway.sh'), ['stop', cluster]);
				return;
			}
			const c = new pg.Client({ connectionString: admin });
			await c.connect();
			await c.query(`drop database if exists "${name}" with (force)`);
			await c.end();
		}
	};
}

/**
 * Readings per second through recordVitals on PostgreSQL, against raw `pg` transactions of the
 * same shape: the reading, the chained audit row and the head, with the head row locked.
 */
export async function postgresWriteRate(url: string, n: number): Promise<Ratio> {
	const opened = openPostgres(url, 2);
	const ctx: ServiceContext = {
		...systemContext(opened.db as Db, 'bench'),
		limits: { maxBatchReadings: 500, maxUnscheduledReadings: 1_000_000 }
	};
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	try {
		const sessions = await newSessions(ctx, 20);
		let t = performance.now();
		for (let i = 0; i < n; i++) {
			await recordVitals(ctx, sessions[i % 20]!, recheck(120, new Date(Date.now() - 1000)));
		}
		const service = n / ((performance.now() - t) / 1000);
		const { rows } = await client.query(
			'select * from vital_reading where dosing_session_id = $1 limit 1',
			[sessions[0]]
		);
		const { id: _id, ...values } = rows[0] as Record<string, unknown>;
		const cols = Object.keys(values);
		const insertReading = `insert into vital_reading (${cols.join(', ')}) values (${cols.map((_, i) => `$${i + 1}`).join(', ')}) returning id`;
		t = performance.now();
		for (let i = 0; i < n; i++) {
			await client.query('begin');
			const r = await client.query(insertReading, Object.values(values));
			const h = (await client.query('select seq, hash from audit_head where id = 1 for update'))
				.rows[0] as { seq: number; hash: string };
			const fields = {
				seq: Number(h.seq) + 1,
				at: new Date().toISOString(),
				actor_id: null,
				actor_label: 'bench',
				actor_role: 'system',
				site_id: values.site_id as number,
				action: 'vitals.recorded',
				entity_type: 'vital_reading',
				entity_id: String(r.rows[0].id),
				old_values: null,
				new_values: JSON.stringify(values),
				reason: null,
				request_id: null,
				prev_hash: h.hash
			};
			const hash = chainHash(fields);
			await client.query(
				`insert into audit_event (seq, at, actor_id, actor_label, actor_role, site_id, action,
				 entity_type, entity_id, old_values, new_values, reason, request_id, prev_hash, hash)
				 values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
				[...Object.values(fields), hash]
			);
			await client.query('update audit_head set seq = $1, hash = $2 where id = 1', [
				fields.seq,
				hash
			]);
			await client.query('commit');
		}
		const raw = n / ((performance.now() - t) / 1000);
		return {
			measured: Math.round(service),
			baseline: Math.round(raw),
			ratio: Math.round((service / raw) * 1000) / 1000,
			unit: 'readings/s'
		};
	} finally {
		await client.end();
		await opened.db.destroy();
	}
}
