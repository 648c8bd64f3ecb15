// Readings typed while the network is down, kept on the device (IndexedDB through `idb`) until
// the server has them. Each carries the idempotency key it is sent with, so a send whose answer
// was lost can be repeated without storing the reading twice (the server returns the stored one).
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

export interface QueuedReading {
	/** Queue order: readings are sent in the order they were typed. */
	seq?: number;
	clientKey: string;
	sessionId: number;
	rowKey: string;
	label: string;
	/** The row's form fields as typed; `takenAt` filled with the moment of saving when left empty. */
	fields: Record<string, string>;
	/** When it was put in the queue (ISO). */
	queuedAt: string;
	/** The server refused it (a value to check): kept, with the server's messages, until acted on. */
	refused?: { messages: string[]; needsConfirmation: boolean } | null;
}

interface QueueDb extends DBSchema {
	readings: { key: number; value: QueuedReading; indexes: { session: number } };
}

let opened: Promise<IDBPDatabase<QueueDb>> | null = null;

function database(): Promise<IDBPDatabase<QueueDb>> {
	opened ??= openDB<QueueDb>('vigil-offline-entry', 1, {
		upgrade(db) {
			const store = db.createObjectStore('readings', { keyPath: 'seq', autoIncrement: true });
			store.createIndex('session', 'sessionId');
		}
	});
	return opened;
}

export async function enqueue(r: QueuedReading): Promise<void> {
	await (await database()).add('readings', r);
}

/** The session's queued readings, oldest first. */
export async function queuedFor(sessionId: number): Promise<QueuedReading[]> {
	const all = await (await database()).getAllFromIndex('readings', 'session', sessionId);
	return all.sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
}

export async function replace(r: QueuedReading): Promise<void> {
	await (await database()).put('readings', r);
}

export async function remove(seq: number): Promise<void> {
	await (await database()).delete('readings', seq);
}
