// Keyset pagination: every query reads at most one page, continuing after the last row's key, so
// an export of any size holds one page in memory and never re-reads what it has written.
import { sql, type RawBuilder } from 'kysely';

/** Rows read by one query. */
export const PAGE_SIZE = 500;

/** Who may see what, and the filters of one export. */
export interface ExportScope {
	/** Sites whose records go in ('all' for admins and the operator). */
	siteIds: number[] | 'all';
	studyId?: number;
	/** Inclusive dates, YYYY-MM-DD (UTC days). */
	from?: string;
	to?: string;
	pageSize?: number;
	/**
	 * The allocated arms this export may carry (DM.ARM…), by participant id: only of the studies
	 * whose arms the reader may know now (an unblinded role, or the study locked), as the
	 * unblinded service gave them. Absent: none; every randomised arm stays concealed.
	 */
	arms?: { studyIds: number[]; byParticipant: Record<number, string> };
}

// Page queries name their driving table first and CROSS JOIN the tables they look up (participant,
// study, site), with the join condition in WHERE. SQLite keeps a CROSS JOIN's left table outside,
// so a page walks its own table by id from the last key and stops at the limit. With inner joins
// the planner started from the one-row study table and sorted every row of the trial for each
// page (quadratic: at 30,000 participants SV took minutes and DM never answered). PostgreSQL plans
// a CROSS JOIN with its WHERE as the inner join it is.
export async function* keysetPages<T, K>(
	fetchPage: (after: K | null, limit: number) => Promise<T[]>,
	keyOf: (last: T) => K,
	limit = PAGE_SIZE
): AsyncGenerator<T[]> {
	let after: K | null = null;
	for (;;) {
		const page = await fetchPage(after, limit);
		if (page.length > 0) yield page;
		if (page.length < limit) return;
		after = keyOf(page[page.length - 1]!);
	}
}

/** `column IN (sites)`; always true for 'all', never for no sites (fail closed). */
export function siteIn(column: string, siteIds: number[] | 'all'): RawBuilder<boolean> {
	if (siteIds === 'all') return sql<boolean>`1 = 1`;
	if (siteIds.length === 0) return sql<boolean>`1 = 0`;
	return sql<boolean>`${sql.ref(column)} in (${sql.join(siteIds)})`;
}

const nextDay = (date: string) =>
	new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/**
 * An ISO 8601 text column within the scope's days. Stored instants are UTC (`…Z`) and dates are
 * `YYYY-MM-DD`, so both compare as text; `to` includes its whole day.
 */
export function withinDays(column: string, scope: ExportScope): RawBuilder<boolean> {
	const ref = sql.ref(column);
	const from = scope.from ? sql`${ref} >= ${scope.from}` : sql`1 = 1`;
	const to = scope.to ? sql`${ref} < ${nextDay(scope.to)}` : sql`1 = 1`;
	return sql<boolean>`(${from} and ${to})`;
}

/** `study_id = ?` when the export names a study. */
export function inStudy(column: string, scope: ExportScope): RawBuilder<boolean> {
	return scope.studyId === undefined
		? sql<boolean>`1 = 1`
		: sql<boolean>`${sql.ref(column)} = ${scope.studyId}`;
}
