// Several instances of Vigil on one PostgreSQL database: LISTEN for the notice every committed
// audit entry sends (migration 2026_12_06_1610), and pass it to this process's live streams.
import type pg from 'pg';
import { postgresClient } from '../db/postgres';
import { receiveChangeNotice } from '../services/safety/flag-events';

export const CHANGES_CHANNEL = 'vigil_changes';
const RECONNECT_MS = 2_000;

/** Listens until the returned stop; reconnects after a lost connection. */
export function listenForChanges(url: string): () => Promise<void> {
	let client: pg.Client | undefined;
	let stopped = false;
	let retry: ReturnType<typeof setTimeout> | undefined;

	const connect = async () => {
		const c = postgresClient(url);
		client = c;
		c.on('notification', (n) => {
			const siteId = Number(n.payload);
			if (n.channel === CHANGES_CHANNEL && n.payload && Number.isInteger(siteId)) {
				receiveChangeNotice(siteId);
			}
		});
		c.on('error', (e) => {
			console.error('[vigil] change notices lost, reconnecting:', e.message);
			again(c);
		});
		try {
			await c.connect();
			await c.query(`LISTEN ${CHANGES_CHANNEL}`);
		} catch (e) {
			console.error('[vigil] cannot listen for change notices:', (e as Error).message);
			again(c);
		}
	};
	const again = (c: pg.Client) => {
		if (stopped || client !== c) return;
		client = undefined;
		void c.end().catch(() => {});
		retry = setTimeout(() => void connect(), RECONNECT_MS);
		retry.unref();
	};
	void connect();
	return async () => {
		stopped = true;
		clearTimeout(retry);
		await client?.end().catch(() => {});
	};
}
