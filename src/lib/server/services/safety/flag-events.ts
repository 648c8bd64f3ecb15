// Notice that something changed at a site, for live boards and session charts in this server
// process: raised here by flag changes, and on PostgreSQL by every write of any instance (the
// audit trail's NOTIFY, see runtime/change-listener.ts). Boards also poll a fingerprint, so changes
// made by another process (the CLI) reach them in any case.
import { EventEmitter } from 'node:events';
import { afterCommit } from '../../db/transaction';

const events = new EventEmitter();
events.setMaxListeners(0);

/**
 * Two notices: `change` at once, inside the transaction (a board then knows an event is owed, and
 * any event it sends from then on, which can only read the change once committed, pays it), and
 * `committed` right after the commit, once per site, when a board still owing one sends it
 * without reading anything first. A failed transaction commits nothing: the early notice only
 * makes a board re-read the same flags.
 */
export function publishFlagChange(siteId: number): void {
	events.emit('change', siteId);
	afterCommit(`flag-change:${siteId}`, () => events.emit('committed', siteId));
}

export function onFlagChange(listener: (siteId: number) => void): () => void {
	events.on('change', listener);
	return () => events.off('change', listener);
}

/** A flag change at this site has just committed in this process. */
export function onFlagCommitted(listener: (siteId: number) => void): () => void {
	events.on('committed', listener);
	return () => events.off('committed', listener);
}

/** A write committed by any instance of the app (PostgreSQL's NOTIFY), at this site. */
export function receiveChangeNotice(siteId: number): void {
	events.emit('change', siteId);
}
