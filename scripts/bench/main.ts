// `npm run bench -- --tier site|trial [--seconds N] [--out DIR] [--db postgres [--database-url URL]]`:
// builds a synthetic trial at the tier, measures it beside raw better-sqlite3 baselines taken in
// the same run, and writes bench-results/<tier>.json and .md (the Markdown table is printed too).
// With --db postgres the same trial is copied to a new PostgreSQL database (on the server at
// --database-url, else on a throwaway cluster with durability on) and the server phase and the
// write rate run there too, reported beside SQLite's. A benchmark, not a test: it reports what it
// measured against the targets and never fails on a missed one.
//
// For looking into the server phase: --server-only skips the in-process measures, --mixed-only
// stops after the mixed load (no c = 10 pass, no JavaScript sizes), and --cpu-profile FILE writes
// a CPU profile of the server's request thread over the mixed load (node:inspector, started and
// stopped by the loop probe; open it in Chrome's DevTools or read it with a script). Every run
// reports the CPU each thread of the server used during the mixed load (/proc).
import {
	closeSync,
	cpSync,
	existsSync,
	fsyncSync,
	mkdirSync,
	mkdtempSync,
	openSync,
	rmSync,
	writeFileSync
} from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildIfNeeded } from '../build-if-needed.js';
import { openDatabase } from '../../src/lib/server/db';
import { systemContext } from '../../src/lib/server/runtime/context';
import { inProcessMeasures, newSessions } from './baselines';
import { buildTrial, TIERS, type Tier } from './build-trial';
import { reuseTrial } from './reuse-trial';
import { signIn, startServer, timedFetch, type ServerDatabase } from './http';
import { atConcurrency10, firstLoadJs, mixedLoad, WARMUP_SECONDS, type Pages } from './load';
import { copyToPostgres, postgresWriteRate } from './postgres';
import { markdown } from './report';

const OPTIONS = {
	tier: { type: 'string', default: 'site' },
	seconds: { type: 'string', default: '30' },
	out: { type: 'string', default: 'bench-results' },
	keep: { type: 'boolean', default: false },
	'server-only': { type: 'boolean', default: false },
	'mixed-only': { type: 'boolean', default: false },
	'cpu-profile': { type: 'string' },
	'in-process-only': { type: 'boolean', default: false },
	db: { type: 'string', default: 'sqlite' },
	'database-url': { type: 'string' },
	from: { type: 'string' },
	'download-timeout': { type: 'string', default: '900' },
	help: { type: 'boolean', default: false }
} as const;

const USAGE = `Usage: npm run bench -- [options]
  --tier site|trial|smoke   the synthetic trial to build and measure (default site)
  --seconds N               length of the mixed load (default 30)
  --out DIR                 where <tier>.json and <tier>.md go (default bench-results)
  --keep                    keep the built trial's directory
  --from FILE               measure a copy of a trial built earlier (a kept vigil.db, with its
                            signing.key beside it) instead of building one; its tier must match
  --download-timeout S      stop the mixed load's ODM export and bundle after S seconds (default
                            900; at the trial tier they take about an hour, and the memory they
                            grew by is reported either way)
  --server-only             skip the in-process measures
  --in-process-only         stop after the in-process measures
  --mixed-only              stop the server phase after the mixed load
  --cpu-profile FILE        a CPU profile of the request thread over the mixed load
  --db sqlite|postgres      postgres: the server phase and write rate on PostgreSQL too
  --database-url URL        a PostgreSQL server for --db postgres (else a throwaway cluster)
  --help                    this text`;

const { values } = (() => {
	try {
		return parseArgs({ options: OPTIONS });
	} catch (e) {
		console.error(`${(e as Error).message}\n\n${USAGE}`);
		process.exit(2);
	}
})();
if (values.help) {
	console.log(USAGE);
	process.exit(0);
}

if (values.db !== 'sqlite' && values.db !== 'postgres') {
	console.error('--db must be sqlite or postgres');
	process.exit(2);
}
const tier = TIERS[values.tier as Tier['name']];
if (!tier) {
	console.error(`--tier must be one of: ${Object.keys(TIERS).join(', ')}`);
	process.exit(2);
}
const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), `vigil-bench-${tier.name}-`));
const file = join(dir, 'vigil.db');
const buildCopy = join(root, '.bench-builds', basename(dir));
const password = `bench-${Math.random().toString(36).slice(2)}-Pass!`;
const log = (line: string) => console.log(line);
/** Seconds between the mixed load's end and the c = 10 pass. */
const SETTLE_SECONDS = 5;
const started = new Date();

try {
	log(`Vigil bench, tier ${tier.name}: ${tier.participants} participants over ${tier.sites} sites`);
	const t = performance.now();
	const build = values.from
		? await reuseTrial(values.from, file, password, log)
		: await buildTrial(file, tier, password, log);
	const buildSeconds = (performance.now() - t) / 1000;
	log(
		`  ${values.from ? 'copied' : 'built'} in ${buildSeconds.toFixed(0)} s: ${JSON.stringify(build.rows)}`
	);
	// The copy (or the build, made at synchronous=OFF) leaves the file's pages in the OS's cache,
	// unwritten: gigabytes at the trial tier, which the first checkpoint's sync of the database file
	// would otherwise write out during the measures. A site's database is not a minute-old copy.
	const synced = performance.now();
	for (const f of [file, `${file}-wal`]) {
		if (!existsSync(f)) continue;
		const fd = openSync(f, 'r+');
		try {
			fsyncSync(fd);
		} finally {
			closeSync(fd);
		}
	}
	log(`  written to disk in ${((performance.now() - synced) / 1000).toFixed(0)} s`);

	log('In-process measures (the server is not running):');
	const inProcess = values['server-only'] ? {} : await inProcessMeasures(file, log);
	mkdirSync(values.out!, { recursive: true });
	writeFileSync(
		join(values.out!, `${tier.name}-in-process.json`),
		JSON.stringify({ build, inProcess }, null, '\t') + '\n'
	);
	log(JSON.stringify(inProcess));
	if (values['in-process-only']) {
		rmSync(dir, { recursive: true, force: true });
		process.exit(0);
	}

	const { db } = openDatabase(file);
	const system = systemContext(db, 'bench');
	const writerSessions = [];
	for (let w = 0; w < 4; w++) writerSessions.push(await newSessions(system, 8));
	const [probe, pageSession] = await newSessions(system, 2);
	// A template participant at site 01, whose timeline the investigator there may read.
	const timelineOf = await db
		.selectFrom('participant')
		.innerJoin('site', 'site.id', 'participant.site_id')
		.select('participant.id')
		.where('site.code', '=', '01')
		.orderBy('participant.id')
		.executeTakeFirstOrThrow();
	await db.destroy();

	// PostgreSQL gets the trial as it is now: the sessions above without readings yet.
	const postgres =
		values.db === 'postgres'
			? (log('Copying the trial to PostgreSQL…'),
				await copyToPostgres(root, file, values['database-url'], log))
			: null;
	try {
		log('Building the app if needed…');
		buildIfNeeded(root);
		// The server runs a private copy of the build, so a rebuild meanwhile (a browser test run in the
		// same tree) cannot change the files under it (routes load lazily). Inside the project, to find
		// node_modules.
		mkdirSync(join(root, '.bench-builds'), { recursive: true });
		cpSync(join(root, 'build'), buildCopy, { recursive: true });
		const sessions = { writers: writerSessions, probe: probe! };
		const pages = { participantId: timelineOf.id, sessionId: pageSession! };
		log('SQLite: the server phase…');
		const onSqlite = await serverPhase({ file }, sessions, pages);
		let onPostgres = null;
		if (postgres) {
			log('PostgreSQL: the server phase…');
			const server = await serverPhase({ url: postgres.url }, sessions, pages);
			log('PostgreSQL: writes through the service against raw pg…');
			const write = await postgresWriteRate(postgres.url, 300);
			onPostgres = { ...server, write };
		}
		const result = {
			tier: tier.name,
			startedAt: started.toISOString(),
			machine: {
				cpus: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
				memoryGb: Math.round(totalmem() / 1024 ** 3),
				node: process.version,
				loadAverageAtEnd: loadavg().map((l) => Math.round(l * 100) / 100)
			},
			build: { totalSeconds: Math.round(buildSeconds), ...build },
			inProcess,
			...onSqlite,
			...(onPostgres ? { postgres: onPostgres } : {})
		};
		mkdirSync(values.out!, { recursive: true });
		writeFileSync(
			join(values.out!, `${tier.name}.json`),
			JSON.stringify(result, null, '\t') + '\n'
		);
		const md = markdown(result);
		writeFileSync(join(values.out!, `${tier.name}.md`), md);
		console.log('\n' + md);
	} catch (e) {
		console.error('The bench failed:', e);
		process.exitCode = 1;
	} finally {
		await postgres?.stop();
		rmSync(buildCopy, { recursive: true, force: true });
	}
} finally {
	if (!values.keep) rmSync(dir, { recursive: true, force: true });
	else log(`kept ${dir}`);
}

/** The built server on one database: the mixed load, pages and lists at c = 10, first-load JS. */
async function serverPhase(
	database: ServerDatabase,
	sessions: { writers: number[][]; probe: number },
	pages: Pages
) {
	const profile = values['cpu-profile'] ? resolve(values['cpu-profile']) : undefined;
	const server = await startServer(root, buildCopy, database, dir, profile);
	try {
		const cookies = {
			admin: await signIn(server.base, 'admin@demo.vigil.test', password),
			investigator: await signIn(server.base, 'investigator@demo.vigil.test', password),
			coordinator: await signIn(server.base, 'coordinator@demo.vigil.test', password),
			auditor: await signIn(server.base, 'auditor@demo.vigil.test', password)
		};
		// The read workers start with the first heavy read; start them before measuring memory.
		await timedFetch(`${server.base}/api/v1/exports/sdtm/dm`, {
			headers: { cookie: cookies.admin }
		});
		const seconds = Number(values.seconds);
		log(
			`  mixed load for ${seconds} s (4 writers, 10 viewers, ODM export, auditor bundle), ` +
				`after the writers' and viewers' ${WARMUP_SECONDS} s warm-up…`
		);
		const mixed = await mixedLoad(server, cookies, pages, sessions, seconds, {
			downloadSeconds: Number(values['download-timeout'])
		});
		if (values['mixed-only']) return { mixed, pagesC10: null, js: null };
		// The mixed load ends by aborting its exports: let their workers wind down, so the first
		// page measured does not also pay for the load before it.
		await new Promise((res) => setTimeout(res, SETTLE_SECONDS * 1000));
		log('  pages and API lists at c = 10…');
		const pagesC10 = await atConcurrency10(server, cookies, pages);
		log('  first-load JavaScript…');
		const js = await firstLoadJs(server, cookies, pages);
		return { mixed, pagesC10, js };
	} catch (e) {
		console.error(`The server's output:\n${server.output()}`);
		throw e;
	} finally {
		await server.stop();
	}
}
