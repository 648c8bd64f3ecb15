// Start-up: open the one database, check it, migrate it, seed the demo on a new database.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readConfig, type VigilConfig } from './config';
import { useHeadSigner } from '../audit/head-signature';
import { KeyFileError, loadOrCreateSigningKey } from '../audit/signing-key';
import {
	checkpointOn,
	openConfiguredDatabase,
	quickCheck,
	refreshPlannerStatistics,
	type Db,
	type OpenedDatabase
} from '../db';
import { redactUrl } from '../db/postgres';
import { migrateToLatest } from '../db/migrate';
import { keepCheckpointed, type CheckpointResult } from '../db/wal';
import { runPendingBackfills } from '../services/dashboards/summaries';
import { randomDemoPassword, seedDemo } from '../demo/seed';
import { generateDemoData } from '../demo/generate';
import { inlineReads, type ReadExecutor } from '../reads/executor';
import { workerReads } from '../reads/pool';
import { postgresReads } from '../reads/postgres';
import { reportPastSeriousEvents, reviewPastDemoFlags } from '../demo/review';
import { seedDemoMonitoring } from '../demo/monitoring';
import { seedTrialDemo } from '../demo/trial';
import { seedDemoRelapses } from '../demo/relapse';
import { usePlausibleDates } from '../../schemas/input';

interface Running {
	db: Db;
	config: VigilConfig;
	opened: OpenedDatabase;
	/**
	 * Heavy reads: on read workers beside a SQLite file, on the pool for PostgreSQL (in-process for
	 * ':memory:').
	 */
	reads: ReadExecutor;
}

let running: Running | undefined;

export class StartupError extends Error {}

export async function startVigil(config = readConfig()): Promise<Running> {
	if (running) return running;
	// Every date field is held to the site's range from the first request on.
	usePlausibleDates(config.plausibleDates);
	// Every write signs the chain head: the key is needed before the first one (the demo seed).
	try {
		useHeadSigner(loadOrCreateSigningKey());
	} catch (e) {
		if (e instanceof KeyFileError) throw new StartupError(e.message);
		throw e;
	}
	// The server's commits are synced off the request thread (db/wal.ts).
	const opened = openConfiguredDatabase(config, { syncAfterCommit: true });
	const { db } = opened;
	const checkpoints = keepWalCheckpointed(opened);
	await checkDatabase(opened, config);
	const { applied } = await migrateToLatest(db);
	await runPendingBackfills(db);
	const isNew = applied.includes('2026_11_29_1830_foundation');
	if (applied.length > 0) console.log(`Vigil: applied migrations ${applied.join(', ')}`);
	if (isNew && config.demo) {
		const password = config.demoPassword ?? randomDemoPassword();
		// The demo study was set up before its first (generated) enrolment, 16 months back.
		const users = await seedDemo(db, password, new Date(Date.now() - 18 * 30 * 86_400_000));
		if (config.demoParticipants > 0) {
			console.log(`Vigil: generating ${config.demoParticipants} demo participants…`);
			const summary = await generateDemoData(db, {
				participants: config.demoParticipants,
				seed: 1
			});
			await reviewPastDemoFlags(db, new Date());
			await reportPastSeriousEvents(db, new Date());
			await seedDemoMonitoring(db, new Date());
			const trial = await seedTrialDemo(db, new Date());
			const relapses = await seedDemoRelapses(db, new Date());
			console.log(
				`Vigil: demo trial design: ${trial.consents} consents, ${trial.randomised} randomised, ${trial.conmeds} medications, ${trial.guesses ?? 0} blinding guesses, ${relapses} relapses.`
			);
			console.log(
				`Vigil: demo data: ${summary.participants} participants, ${summary.dosingSessions} dosing sessions, ` +
					`${summary.vitalReadings} readings, ${summary.adverseEvents} adverse events.`
			);
		}
		const lines = [
			'Vigil demo study seeded. Sign in at the address below with one of:',
			...users.map((u) => `  ${u.role.padEnd(13)} ${u.email}`),
			`  password (all demo users): ${password}`
		];
		console.log(lines.join('\n'));
		if (config.databaseUrl || config.dbFile !== ':memory:') {
			// Beside the SQLite file; on PostgreSQL in that file's folder all the same (./data).
			const file = join(dirname(config.dbFile), 'demo-sign-ins.txt');
			mkdirSync(dirname(file), { recursive: true });
			writeFileSync(file, lines.join('\n') + '\n', { mode: 0o600 });
			console.log(`(also written to ${file})`);
		}
	} else if (isNew) {
		console.log(
			'Vigil: new empty database. Make the first admin with:\n' +
				'  npm run vigil -- user add --email you@example.org --name "Your Name" --role admin --password-stdin'
		);
	}
	if (opened.kind === 'sqlite') keepPlannerStatistics(opened.sqlite);
	const reads = readsFor(opened, config);
	if (reads.checkpoint) checkpoints.via(reads.checkpoint);
	running = { db, config, opened, reads };
	return running;
}

/**
 * The WAL of a database opened with `syncAfterCommit` checkpointed every second after commits:
 * on the writer's own connection while starting (migrations, the demo seed), then on a read
 * worker's, so no request waits for a checkpoint's syncs.
 */
function keepWalCheckpointed(opened: OpenedDatabase): {
	via(run: () => Promise<CheckpointResult>): void;
} {
	if (opened.kind !== 'sqlite' || !opened.wal) return { via: () => {} };
	const { sqlite } = opened;
	let run = async () => checkpointOn(sqlite);
	keepCheckpointed(opened.wal, () => run());
	return { via: (r) => void (run = r) };
}

/** SQLite's planner statistics: refreshed at start (before the read workers open) and every 6 h. */
function keepPlannerStatistics(sqlite: Parameters<typeof refreshPlannerStatistics>[0]): void {
	refreshPlannerStatistics(sqlite);
	setInterval(() => refreshPlannerStatistics(sqlite), 6 * 3_600_000).unref();
}

function readsFor(opened: OpenedDatabase, config: VigilConfig): ReadExecutor {
	if (opened.kind === 'postgres') return postgresReads(opened, config.readWorkers * 2);
	return opened.file === ':memory:'
		? inlineReads(opened.db)
		: workerReads(opened.file, { workers: config.readWorkers, nice: config.workerNice });
}

/** Refuses to serve a damaged SQLite file or an unreachable PostgreSQL server. */
async function checkDatabase(opened: OpenedDatabase, config: VigilConfig): Promise<void> {
	if (opened.kind === 'postgres') {
		try {
			await opened.pool.query('select 1');
		} catch (e) {
			await opened.db.destroy();
			throw new StartupError(
				`Vigil cannot reach ${redactUrl(opened.url)}: ${e instanceof Error ? e.message : String(e)}`
			);
		}
		return;
	}
	const problems = quickCheck(opened.sqlite);
	if (problems.length > 0) {
		opened.sqlite.close();
		throw new StartupError(
			`The database ${config.dbFile} failed its integrity check; Vigil will not serve it.\n` +
				problems.slice(0, 10).join('\n') +
				'\nRestore the latest backup (npm run vigil -- backup makes one) and start again.'
		);
	}
}

/** The running app's database and settings (after startVigil). */
export function vigil(): Running {
	if (!running) throw new Error('Vigil has not started');
	return running;
}
