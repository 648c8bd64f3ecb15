// When a reading was measured and when the server received it: apart for a reading typed offline
// and sent later, which the board shows with both times.
import * as repo from '../../repositories/dosing-sessions';
import type { ServiceContext } from '../../runtime/context';
import { clinicalReadScope } from '../people/clinical-access';

export interface ReadingTimes {
	measuredAt: string;
	receivedAt: string;
}

/** The times of the readings the actor may read, by reading id; others are left out. */
export async function readingTimes(
	ctx: ServiceContext,
	readingIds: readonly number[]
): Promise<Record<number, ReadingTimes>> {
	const scope = clinicalReadScope(ctx.actor);
	const rows = await repo.listReadingTimes(ctx.db, [...new Set(readingIds)]);
	return Object.fromEntries(
		rows
			.filter((r) => scope === 'all' || scope.includes(r.site_id))
			.map((r) => [r.id, { measuredAt: r.measured_at, receivedAt: r.created_at }])
	);
}
