// A Vigil server of a test file's own (a fresh demo database), for tests that change settings or
// would disturb the shared server's data: the built server from the global set-up, another port.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { createPostgresDatabase, onPostgres } from '../../helpers/database';

export interface OwnServer {
	base: string;
	/** The server's SQLite file, or '' on PostgreSQL. */
	dbFile: string;
	/** The server's PostgreSQL database, or ''. */
	databaseUrl: string;
	password: string;
	/** The folder of the server's signing key (for tests that write as the operator). */
	keyDir: string;
	stop: () => void;
}

function freePort(): Promise<number> {
	return new Promise((resolve) => {
		const srv = createServer().listen(0, '127.0.0.1', () => {
			const a = srv.address();
			srv.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
		});
	});
}

export async function startOwnServer(
	label: string,
	env: Record<string, string> = {}
): Promise<OwnServer> {
	const dir = mkdtempSync(join(tmpdir(), `vigil-${label}-`));
	const port = await freePort();
	const base = `http://127.0.0.1:${port}`;
	const password = `${label}-demo-password`;
	const dbFile = join(dir, 'vigil.db');
	const keyDir = join(dir, 'keys');
	const databaseUrl = onPostgres ? await createPostgresDatabase(label.replace(/-/g, '_')) : '';
	let output = '';
	const child: ChildProcess = spawn(process.execPath, [inject('serverEntry')], {
		env: {
			...process.env,
			PORT: String(port),
			HOST: '127.0.0.1',
			ORIGIN: base,
			VIGIL_DB: dbFile,
			VIGIL_DATABASE_URL: databaseUrl,
			VIGIL_KEY_DIR: keyDir,
			VIGIL_DEMO: '1',
			VIGIL_DEMO_PASSWORD: password,
			...env
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
	child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
	const stop = () => {
		child.kill('SIGTERM');
		rmSync(dir, { recursive: true, force: true });
	};
	const deadline = Date.now() + 120_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`server exited:\n${output}`);
		const up = await fetch(`${base}/login`).then(
			(r) => r.ok,
			() => false
		);
		if (up) return { base, dbFile: onPostgres ? '' : dbFile, databaseUrl, password, keyDir, stop };
		await new Promise((r) => setTimeout(r, 200));
	}
	stop();
	throw new Error(`server did not answer:\n${output}`);
}
