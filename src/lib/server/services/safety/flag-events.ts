// In-process notice that flags changed at a site, for live boards in this server process. Boards
// also poll a fingerprint, so changes made by another process (the CLI) reach them too.
import { EventEmitter } from 'node:events';

const events = new EventEmitter();
events.setMaxListeners(0);

export function publishFlagChange(siteId: number): void {
	// Emitted inside the transaction; listeners only re-read, and a failed transaction re-reads
	// the same board, so an early notice is harmless.
	events.emit('change', siteId);
}

export function onFlagChange(listener: (siteId: number) => void): () => void {
	events.on('change', listener);
	return () => events.off('change', listener);
}
