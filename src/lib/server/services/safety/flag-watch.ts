// What the review board's live channel watches: the flags at the sites the reader holds.
import type { Db } from '../../db';
import { readsOf } from '../../reads/executor';
import type { ServiceContext } from '../../runtime/context';
import { flagsFingerprint } from '../../repositories/flags';
import { clinicalReadScope } from '../people/clinical-access';
import { onFlagChange, onFlagCommitted } from './flag-events';

export interface FlagWatch {
	/** Changes whenever a flag at one of the reader's sites changes. */
	fingerprint: () => Promise<string>;
	/** Whether an in-process notice from this site concerns the reader. */
	concerns: (siteId: number) => boolean;
}

/**
 * Every open board asks for its fingerprint with each poll and after each flag change, so one
 * save that raises a flag made each listening board read the flag table on the request thread.
 * The read now runs on the read handle (a read worker beside SQLite: it sees what is committed,
 * which is when an event is owed), and boards with the same sites asking at the same moment share
 * one read. A read is shared only while it is under way and only by asks since the last flag
 * notice: an ask after a change never gets a count begun before it.
 */
const underWay = new WeakMap<Db, Map<string, Promise<string>>>();
let generation = 0;
onFlagChange(() => (generation += 1));
onFlagCommitted(() => (generation += 1));

function sharedFingerprint(db: Db, scope: number[] | 'all'): Promise<string> {
	let running = underWay.get(db);
	if (!running) underWay.set(db, (running = new Map()));
	const key = `${generation}|${scope === 'all' ? 'all' : scope.join(',')}`;
	let read = running.get(key);
	if (!read) {
		const kept = running;
		read = flagsFingerprint(db, scope).finally(() => kept.delete(key));
		kept.set(key, read);
	}
	return read;
}

export function watchFlags(ctx: ServiceContext): Promise<FlagWatch> {
	const scope = clinicalReadScope(ctx.actor);
	const reader = readsOf(ctx).db;
	return Promise.resolve({
		fingerprint: () => sharedFingerprint(reader, scope),
		concerns: (siteId) => scope === 'all' || scope.includes(siteId)
	});
}
