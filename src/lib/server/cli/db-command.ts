// `vigil db copy --from FILE --to URL`: a site's SQLite database onto the central PostgreSQL
// server, ids and audit chain kept, verified on arrival.
import { existsSync } from 'node:fs';
import { openDatabase, openPostgres, type PostgresDatabase, type SqliteDatabase } from '../db';
import { compareCounts, copySqliteToPostgres, CopyRefused } from '../db/copy';
import { redactUrl } from '../db/postgres';
import { systemContext } from '../runtime/context';
import { verifyAuditChain } from '../services/audit/audit';
import type { Command } from './commands';
import { UsageError } from './io';

export const dbCopyCommand: Command = {
	name: 'db copy',
	usage: 'db copy --from FILE --to postgres://…',
	summary:
		'Copy a SQLite database into a new, empty PostgreSQL database: every row with its id, the audit chain and its checkpoints; the chain is verified on arrival.',
	options: {
		from: { type: 'string', description: 'The SQLite database file (the site’s vigil.db)' },
		to: { type: 'string', description: 'The PostgreSQL URL (an empty database)' }
	},
	async run(io, v) {
		const from = v.from;
		const to = v.to;
		if (typeof from !== 'string' || !from) {
			throw new UsageError('Name the SQLite file: --from FILE');
		}
		if (typeof to !== 'string' || !/^postgres(ql)?:\/\//.test(to)) {
			throw new UsageError('Name the PostgreSQL database: --to postgres://user@host/name');
		}
		if (!existsSync(from)) {
			io.err(`No SQLite database at ${from}.`);
			return 1;
		}
		let source: SqliteDatabase | undefined;
		let target: PostgresDatabase | undefined;
		try {
			source = openDatabase(from);
			target = openPostgres(to);
			io.out(`Copying ${from} to ${redactUrl(to)}…`);
			const report = await copySqliteToPostgres(source, target, io.out);
			const rows = report.tables.reduce((a, t) => a + t.rows, 0);
			io.out(`Copied ${rows} rows in ${report.tables.length} tables.`);
			const differences = await compareCounts(source, target);
			const chain = await verifyAuditChain(systemContext(target.db, 'db-copy'));
			for (const d of differences) io.err(`Row counts differ: ${d}`);
			if (!chain.ok) io.err(`Audit trail on the copy BROKEN at ${chain.problem?.message}`);
			if (differences.length > 0 || !chain.ok) return 1;
			io.out(
				`Audit trail verified on the copy: ${chain.rows} rows, head row ${chain.head?.seq ?? 0} ${chain.head?.hash ?? ''}; ` +
					`${chain.checkpoints.checked} checkpoints match.`.trim()
			);
			return 0;
		} catch (e) {
			if (e instanceof CopyRefused) {
				io.err(e.message);
				return 1;
			}
			throw e;
		} finally {
			await source?.db.destroy();
			await target?.db.destroy();
		}
	}
};
