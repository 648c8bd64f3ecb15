// Frozen once landed: never edit; add a new migration instead.
// Indexes in the order the lists read, so a page costs what it shows: the board's recently closed
// flags (newest closed first), the flag lists newest raised first (one site, or all), and the
// review queue's adverse events and rating scales by site, newest first (its dosing sessions and
// deviations have theirs already). The queue's two carry what its counts read, so counting a
// site's records reads the index alone, not every row (a rating scale's row holds its answers).
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations use no app types
type AnyDb = Kysely<any>;

const INDEXES: Array<[name: string, table: string, columns: string[]]> = [
	['flag_closed_idx', 'flag', ['status', 'closed_at', 'id']],
	['flag_site_raised_idx', 'flag', ['site_id', 'raised_at', 'id']],
	['flag_raised_idx', 'flag', ['raised_at', 'id']],
	[
		'adverse_event_queue_idx',
		'adverse_event',
		['site_id', 'onset_at', 'participant_id', 'entered_in_error_at', 'version']
	],
	[
		'scale_administration_queue_idx',
		'scale_administration',
		['site_id', 'administered_at', 'participant_id', 'entered_in_error_at', 'complete', 'version']
	]
];

export async function up(db: AnyDb): Promise<void> {
	for (const [name, table, columns] of INDEXES) {
		await db.schema.createIndex(name).on(table).columns(columns).execute();
	}
}

export async function down(db: AnyDb): Promise<void> {
	for (const [name] of INDEXES) await db.schema.dropIndex(name).execute();
}
