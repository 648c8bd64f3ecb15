// Frozen once landed: never edit; add a new migration instead.
// Indexes that let the dashboards read what they show (issue 10):
// - the cohort's time to relapse reads one scale's complete totals per participant: the index
//   carries every column it reads, so it no longer fetches each wide administration row (its
//   answers and result) of the whole cohort;
// - a site overview's on-time rate reads the site's readings of the last 30 days (it scanned
//   every reading of the trial);
// - a site overview's visit completion counts the site's visits by participant and status from
//   the index alone;
// - the board and a site overview list the serious adverse events whose report is not sent yet
//   (their clocks still run): a handful, found by the index rather than by reading every AE.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations use no app types
type AnyDb = Kysely<any>;

const INDEXES: Array<[name: string, table: string, columns: string[]]> = [
	[
		'scale_administration_relapse_idx',
		'scale_administration',
		['instrument', 'participant_id', 'administered_at', 'complete', 'total', 'entered_in_error_at']
	],
	['vital_reading_site_measured_idx', 'vital_reading', ['site_id', 'measured_at']],
	[
		'visit_completion_idx',
		'visit',
		['site_id', 'participant_id', 'status', 'window_end', 'entered_in_error_at']
	],
	['adverse_event_sae_clock_idx', 'adverse_event', ['serious', 'sae_reported_at', 'aware_at']]
];

export async function up(db: AnyDb): Promise<void> {
	for (const [name, table, columns] of INDEXES) {
		await db.schema.createIndex(name).on(table).columns(columns).execute();
	}
}

export async function down(db: AnyDb): Promise<void> {
	for (const [name] of INDEXES) await db.schema.dropIndex(name).execute();
}
