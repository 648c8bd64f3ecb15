// Frozen once landed: never edit; add a new migration instead.
// The country each site is in (ISO 3166-1 alpha-3): SDTM DM.COUNTRY is required. Existing sites
// get none until an admin sets it; the exports page names sites still without one.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations use no app types
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
	await db.schema.alterTable('site').addColumn('country', 'text').execute();
}

export async function down(db: AnyDb): Promise<void> {
	await db.schema.alterTable('site').dropColumn('country').execute();
}
