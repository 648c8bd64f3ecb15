// `npx tsx scripts/bench/write-profile.ts --file /tmp/x/site.db [--saves 300] [--warm 3000]`: the
// bench's write measure alone, on a copy of a built tier (built at --file first when absent), with
// the statements one save runs. For profiling the write path (`node --cpu-prof --import tsx …`)
// without rebuilding a trial each time.
import {
	copyFileSync,
	existsSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	writeFileSync
} from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { useHeadSigner } from '../../src/lib/server/audit/head-signature';
import { loadOrCreateSigningKey } from '../../src/lib/server/audit/signing-key';
import SQLite from 'better-sqlite3';
import { openDatabase, type Db } from '../../src/lib/server/db';
import { checkpointOn } from '../../src/lib/server/db/sqlite';
import { keepCheckpointed } from '../../src/lib/server/db/wal';
import { CachedSqliteConnection } from '../../src/lib/server/db/driver';
import { migrateToLatest } from '../../src/lib/server/db/migrate';
import { systemContext, type ServiceContext } from '../../src/lib/server/runtime/context';
import { recordVitals } from '../../src/lib/server/services/capture/vitals';
import { newSessions, recheck, WARM_SAVES, warmWritePath, writeRates } from './baselines';
import { buildTrial, TIERS } from './build-trial';

/** Each thread's CPU (user + system, clock ticks) by thread id, from /proc (Linux), or null. */
function threadTimes(): Map<number, number> | null {
	try {
		const out = new Map<number, number>();
		for (const tid of readdirSync('/proc/self/task')) {
			const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			out.set(Number(tid), Number(fields[11]) + Number(fields[12]));
		}
		return out;
	} catch {
		return null;
	}
}

const { values } = parseArgs({
	options: {
		file: { type: 'string' },
		tier: { type: 'string', default: 'site' },
		saves: { type: 'string', default: '300' },
		/** Untimed saves first, on a throwaway trial, as the bench's write measure makes them. */
		warm: { type: 'string', default: String(WARM_SAVES) },
		/** Only the service's saves (no raw baseline): a cleaner profile. */
		'service-only': { type: 'boolean', default: false },
		/** With --service-only: each statement's wall and CPU time, summed by SQL text. */
		'time-statements': { type: 'boolean', default: false },
		/** With --service-only: a CPU profile of the saves alone (set-up left out), to this file. */
		'cpu-profile': { type: 'string' }
	}
});
if (!values.file) {
	console.error('--file is required');
	process.exit(2);
}
const built = values.file;
if (!existsSync(built)) {
	const tier = TIERS[values.tier as keyof typeof TIERS];
	await buildTrial(built, tier, 'bench-Profile-1!', console.log);
}
useHeadSigner(loadOrCreateSigningKey(join(dirname(built), 'signing.key')));
const dir = mkdtempSync(join(tmpdir(), 'vigil-write-profile-'));
const file = join(dir, 'vigil.db');
copyFileSync(built, file);
try {
	// A file built by an older checkout: the migrations landed since.
	const old = openDatabase(file);
	await migrateToLatest(old.db);
	await old.db.destroy();
	// As the server and the bench open it: COMMIT at NORMAL, the WAL synced after it, checkpoints
	// on another connection (the bench's read worker; here a second handle on this thread).
	const { db, sqlite, wal } = openDatabase(file, { syncAfterCommit: true });
	const other = new SQLite(file);
	const checkpoints = keepCheckpointed(wal!, async () => checkpointOn(other));
	const ctx: ServiceContext = {
		...systemContext(db as Db, 'bench'),
		limits: { maxBatchReadings: 500, maxUnscheduledReadings: 1_000_000 }
	};
	// The statements of one save into a session holding a dosing day's readings.
	const [session] = await newSessions(ctx, 1);
	for (let i = 0; i < 14; i++) {
		await recordVitals(ctx, session!, recheck(120 + i, new Date(Date.now() - 60_000 + i * 1000)));
	}
	// Statements reach the connection through Kysely (executeQuery) or, compiled once and inside
	// a transaction, directly (rows): both are watched.
	const seen: string[] = [];
	const execute = CachedSqliteConnection.prototype.executeQuery;
	const rows = CachedSqliteConnection.prototype.rows;
	const watch = (onStatement: (sql: string, run: () => unknown) => unknown) => {
		CachedSqliteConnection.prototype.executeQuery = function (compiled) {
			return onStatement(compiled.sql, () => execute.call(this, compiled)) as never;
		};
		CachedSqliteConnection.prototype.rows = function (sql, parameters) {
			return onStatement(sql, () => rows.call(this, sql, parameters)) as never;
		};
	};
	const unwatch = () => {
		CachedSqliteConnection.prototype.executeQuery = execute;
		CachedSqliteConnection.prototype.rows = rows;
	};
	watch((sql, run) => {
		seen.push(sql);
		return run();
	});
	await recordVitals(ctx, session!, recheck(121, new Date(Date.now() - 1000)));
	unwatch();
	console.log(`statements in one save: ${seen.length}`);
	for (const s of seen) console.log(`  ${s.slice(0, 160)}`);
	const warm = Number(values.warm);
	if (values['service-only']) {
		await warmWritePath(warm);
		// About 15 saves a session, as the bench's 300 saves over 20 sessions (a session's readings
		// are re-checked on each save, so more saves a session would measure a day no site has).
		const sessions = await newSessions(ctx, Math.max(20, Math.ceil(Number(values.saves) / 15)));
		const bySql = new Map<string, { n: number; wall: number; cpu: number }>();
		if (values['time-statements']) {
			watch((sql, run) => {
				const w = performance.now();
				const c = process.cpuUsage();
				const out = run();
				const used = process.cpuUsage(c);
				const t = bySql.get(sql) ?? { n: 0, wall: 0, cpu: 0 };
				t.n += 1;
				t.wall += (performance.now() - w) * 1000;
				t.cpu += used.user + used.system;
				bySql.set(sql, t);
				return out;
			});
		}
		const profiler = values['cpu-profile'] ? new Session() : null;
		if (profiler) {
			profiler.connect();
			await profiler.post('Profiler.enable');
			await profiler.post('Profiler.start');
		}
		const threads0 = threadTimes();
		const cpu = process.cpuUsage();
		for (let i = 0; i < Number(values.saves); i++) {
			const into = sessions[i % sessions.length]!;
			await recordVitals(ctx, into, recheck(120, new Date(Date.now() - 1000)));
		}
		const used = process.cpuUsage(cpu);
		const threads1 = threadTimes();
		if (profiler) {
			const { profile } = await profiler.post('Profiler.stop');
			writeFileSync(values['cpu-profile']!, JSON.stringify(profile));
			profiler.disconnect();
		}
		unwatch();
		const n = Number(values.saves);
		console.log(
			`CPU per save: ${Math.round((used.user + used.system) / n)} µs (user ${Math.round(used.user / n)}, system ${Math.round(used.system / n)})`
		);
		if (threads0 && threads1) {
			// Clock ticks (10 ms): a rough split, over a few hundred saves or more.
			let main = 0;
			let others = 0;
			for (const [tid, ticks] of threads1) {
				const spent = ticks - (threads0.get(tid) ?? 0);
				if (tid === process.pid) main += spent;
				else others += spent;
			}
			console.log(
				`  request thread ${Math.round((main * 10_000) / n)} µs, other threads ${Math.round((others * 10_000) / n)} µs ` +
					`(V8's compiler and GC helpers; libuv's pool, where the WAL is synced)`
			);
		}
		for (const [sql, t] of [...bySql].sort((a, b) => b[1].cpu - a[1].cpu)) {
			console.log(
				`  ${(t.n / n).toFixed(1)}× wall ${Math.round(t.wall / n)} µs, CPU ${Math.round(t.cpu / n)} µs  ${sql.slice(0, 110)}`
			);
		}
	} else {
		console.log(JSON.stringify(await writeRates(ctx, sqlite, Number(values.saves), warm)));
	}
	checkpoints.stop();
	other.close();
	await wal!.close();
	await db.destroy();
} finally {
	rmSync(dir, { recursive: true, force: true });
}
