// What the review board's live channel watches: the flags at the sites the reader holds.
import type { ServiceContext } from '../../runtime/context';
import { flagsFingerprint } from '../../repositories/flags';
import { clinicalReadScope } from '../people/clinical-access';

export interface FlagWatch {
	/** Changes whenever a flag at one of the reader's sites changes. */
	fingerprint: () => Promise<string>;
	/** Whether an in-process notice from this site concerns the reader. */
	concerns: (siteId: number) => boolean;
}

export function watchFlags(ctx: ServiceContext): Promise<FlagWatch> {
	const scope = clinicalReadScope(ctx.actor);
	return Promise.resolve({
		fingerprint: () => flagsFingerprint(ctx.db, scope),
		concerns: (siteId) => scope === 'all' || scope.includes(siteId)
	});
}
