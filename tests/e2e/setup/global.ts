// Starts one Vigil server for the browser tests: a fresh database with the demo study.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildIfNeeded } from '../../../scripts/build-if-needed.js';
import { CHROMIUM_MISSING, findChromium } from './chromium';
import { createPostgresDatabase, onPostgres } from '../../helpers/database';

declare module 'vitest' {
	export interface ProvidedContext {
		baseUrl: string;
		demoPassword: string;
		chromiumPath: string;
		dbFile: string;
		/** The server's PostgreSQL database when VIGIL_TEST_DB=postgres, else ''. */
		databaseUrl: string;
		/** The built server's entry, for tests that start more instances. */
		serverEntry: string;
	}
}

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = createServer();
		srv.listen(0, '127.0.0.1', () => {
			const address = srv.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			srv.close(() => resolve(port));
		});
		srv.on('error', reject);
	});
}

async function waitForServer(url: string, child: ChildProcess, log: () => string): Promise<void> {
	const deadline = Date.now() + 180_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`The Vigil server exited early:\n${log()}`);
		try {
			const res = await fetch(`${url}/login`);
			if (res.ok) return;
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	throw new Error(`The Vigil server did not answer within 180 s:\n${log()}`);
}

/**
 * Stops every process still running this run's private build: the servers tests start of their
 * own (own-server.ts, crash, instances, e-mail alerts) are theirs to stop, but an after-all hook
 * that times out on a loaded machine never reaches its stop, and the server would outlive the run.
 * Linux's /proc names them; elsewhere nothing is found. Returns how many were stopped.
 */
export function stopStragglers(serverDir: string): number {
	const marker = resolve(serverDir) + '/';
	let stopped = 0;
	let pids: string[];
	try {
		pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
	} catch {
		return 0;
	}
	for (const pid of pids) {
		if (Number(pid) === process.pid) continue;
		let cmdline: string;
		try {
			cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
		} catch {
			continue; // gone meanwhile, or not ours to read
		}
		if (!cmdline.split('\0').some((arg) => arg.startsWith(marker))) continue;
		try {
			process.kill(Number(pid), 'SIGTERM');
			stopped += 1;
		} catch {
			// exited meanwhile
		}
	}
	return stopped;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
	const chromiumPath = findChromium();
	if (!chromiumPath) {
		// A clear instruction, not a stack trace.
		process.stderr.write(CHROMIUM_MISSING);
		process.exit(1);
	}
	buildIfNeeded();
	// Serve a private copy of the build, so a rebuild by another test run cannot change the files
	// under this server (routes load lazily). It sits inside the project to find node_modules.
	mkdirSync('.e2e-builds', { recursive: true });
	const serverDir = mkdtempSync(join('.e2e-builds', 'build-'));
	cpSync('build', serverDir, { recursive: true });
	const dir = mkdtempSync(join(tmpdir(), 'vigil-e2e-'));
	const port = await freePort();
	const baseUrl = `http://127.0.0.1:${port}`;
	const demoPassword = 'e2e-demo-password-not-secret';
	const dbFile = join(dir, 'vigil.db');
	const databaseUrl = onPostgres ? await createPostgresDatabase('e2e') : '';
	let output = '';
	// Served as `npm start` serves it: through scripts/serve.js, which adds the headers every
	// response (static files too) carries.
	const child = spawn(process.execPath, ['scripts/serve.js', serverDir], {
		env: {
			...process.env,
			PORT: String(port),
			HOST: '127.0.0.1',
			ORIGIN: baseUrl,
			VIGIL_DB: dbFile,
			VIGIL_DATABASE_URL: databaseUrl,
			VIGIL_SIGNING_KEY: join(dir, 'vigil-signing.key'),
			// The witness log lives apart from the database, as in production.
			VIGIL_KEY_DIR: join(dir, 'keys'),
			VIGIL_DEMO: '1',
			VIGIL_DEMO_PASSWORD: demoPassword,
			// The other files sign administrators in with a password alone; two-factor.test.ts
			// starts a server of its own with the default (administrators need a second factor).
			VIGIL_SECOND_FACTOR_ROLES: 'none',
			// A few generated participants, so dashboards have data; tests make their own too.
			VIGIL_DEMO_PARTICIPANTS: '6'
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
	child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
	await waitForServer(baseUrl, child, () => output);

	project.provide('baseUrl', baseUrl);
	project.provide('demoPassword', demoPassword);
	project.provide('chromiumPath', chromiumPath);
	project.provide('dbFile', dbFile);
	project.provide('databaseUrl', databaseUrl);
	project.provide('serverEntry', resolve(serverDir, 'index.js'));

	return async () => {
		child.kill('SIGTERM');
		await new Promise((r) => setTimeout(r, 300));
		const stragglers = stopStragglers(serverDir);
		if (stragglers > 0) {
			process.stderr.write(`Stopped ${stragglers} Vigil server(s) a test file left running.\n`);
		}
		rmSync(dir, { recursive: true, force: true });
		rmSync(serverDir, { recursive: true, force: true });
	};
}
