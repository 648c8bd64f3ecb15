// Notice that something changed at a site, for live boards and session charts in this server
// process: raised here by flag changes, and on PostgreSQL by every write of any instance (the
// audit trail's NOTIFY, see runtime/change-listener.ts). Boards also poll a fingerprint, so changes
// made by another process (the CLI) reach them in any case.
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

/** A write committed by any instance of the app (PostgreSQL's NOTIFY), at this site. */
export function receiveChangeNotice(siteId: number): void {
	events.emit('change', siteId);
}
