// `vigil backup FILE` on each database: SQLite's online backup API, or pg_dump on PostgreSQL.
import { childEnvironment, readConfig } from '../runtime/config';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { backupDatabase, type OpenedDatabase } from './index';

/** Writes a consistent copy of the database to `target`; returns a line for the operator. */
export async function backupTo(opened: OpenedDatabase, target: string): Promise<string> {
	if (opened.kind === 'sqlite') {
		const pages = await backupDatabase(opened.sqlite, target);
		return `Backup written to ${target} (${pages} pages).`;
	}
	mkdirSync(dirname(target), { recursive: true });
	await pgDump(opened.url, target);
	return `Backup written to ${target} (pg_dump custom format; restore with pg_restore --dbname=URL ${target}).`;
}

/**
 * pg_dump takes one snapshot, so the copy is consistent while Vigil writes. The password goes in
 * the environment (PGPASSWORD), not on the command line where `ps` would show it.
 */
function pgDump(url: string, target: string): Promise<void> {
	const u = new URL(url);
	const password = decodeURIComponent(u.password);
	u.password = '';
	const env = childEnvironment(password ? { PGPASSWORD: password } : {});
	return new Promise((resolve, reject) => {
		const child = spawn(
			readConfig().pgDump,
			['--format=custom', '--no-owner', `--file=${target}`, `--dbname=${u.toString()}`],
			{ env, stdio: ['ignore', 'ignore', 'pipe'] }
		);
		let stderr = '';
		child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
		child.on('error', (e) =>
			reject(
				new Error(
					`pg_dump could not run (${e.message}); install PostgreSQL's client tools (apt-get install postgresql-client)`
				)
			)
		);
		child.on('close', (code) =>
			code === 0 ? resolve() : reject(new Error(`pg_dump failed: ${stderr.trim()}`))
		);
	});
}
