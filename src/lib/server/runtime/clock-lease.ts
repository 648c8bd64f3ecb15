// The safety clock runs once per tick across every instance of the app. On PostgreSQL one
// instance holds a session-level advisory lock on its own connection and runs the clock; the
// others skip their ticks, and take over within a tick of it stopping (its connection closes and
// the lock with it). On SQLite one process serves the database, and it always runs the clock.
import type pg from 'pg';
import { postgresClient } from '../db/postgres';
import type { OpenedDatabase } from '../db';

export const SAFETY_CLOCK_LOCK_KEY = 0x76_69_67_02; // 'vig' 2

export interface ClockLease {
	/** True when this instance runs this tick (it holds, or just took, the lease). */
	acquire(): Promise<boolean>;
	/** Lets another instance take over. */
	release(): Promise<void>;
}

export function clockLease(opened: OpenedDatabase): ClockLease {
	if (opened.kind === 'sqlite') {
		return { acquire: () => Promise.resolve(true), release: () => Promise.resolve() };
	}
	return new PostgresClockLease(opened.url);
}

class PostgresClockLease implements ClockLease {
	#client: pg.Client | undefined;
	#holding = false;
	readonly #url: string;

	constructor(url: string) {
		this.#url = url;
	}

	async acquire(): Promise<boolean> {
		try {
			const client = await this.#connected();
			if (this.#holding) {
				await client.query('select 1'); // still connected, so still holding
				return true;
			}
			const { rows } = await client.query<{ got: boolean }>(
				'select pg_try_advisory_lock($1) as got',
				[SAFETY_CLOCK_LOCK_KEY]
			);
			this.#holding = rows[0]?.got === true;
			return this.#holding;
		} catch (e) {
			console.error('[vigil] safety clock lease lost:', (e as Error).message);
			await this.#drop();
			return false;
		}
	}

	async release(): Promise<void> {
		await this.#drop();
	}

	async #connected(): Promise<pg.Client> {
		if (this.#client) return this.#client;
		const client = postgresClient(this.#url);
		client.on('error', () => void this.#drop());
		await client.connect();
		this.#client = client;
		return client;
	}

	async #drop(): Promise<void> {
		const client = this.#client;
		this.#client = undefined;
		this.#holding = false;
		await client?.end().catch(() => {});
	}
}
