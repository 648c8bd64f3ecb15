// Reads the shared server's own database (its SQLite file read-only, or its PostgreSQL database),
// so a browser test checks what was stored independently of the pages and the API.
import Database from 'better-sqlite3';
import pg from 'pg';
import { inject } from 'vitest';

/** Runs one query (with ? placeholders) on the server's database and returns its rows. */
export async function serverRows<T>(query: string, ...params: unknown[]): Promise<T[]> {
	const url = inject('databaseUrl');
	if (url) {
		const client = new pg.Client({ connectionString: url });
		await client.connect();
		try {
			let i = 0;
			const text = query.replace(/\?/g, () => `$${(i += 1)}`);
			return (await client.query(text, params)).rows as T[];
		} finally {
			await client.end();
		}
	}
	const db = new Database(inject('dbFile'), { readonly: true, fileMustExist: true });
	try {
		return db.prepare(query).all(...params) as T[];
	} finally {
		db.close();
	}
}
