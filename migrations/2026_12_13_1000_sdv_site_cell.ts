// Frozen once landed: never edit; add a new migration instead.
// SDV progress's site level as counted cells (issue 10): one row per study × site with the sums
// the page and GET /api/v1/sdv-progress show for the site (records to verify and those verified;
// fields to verify, verified and changed since verified), moved by each write that moves a row
// of sdv_record_status by what the row gave before and gives after (services/monitoring/
// sdv-summary.ts), so a view reads a row a site instead of grouping every record (211,000 at the
// trial tier). Backfilled here from sdv_record_status with one GROUP BY; a database whose
// sdv_record_status is still owed (pending_backfill) gets its cells with that rebuild.
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations use no app types
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
	await db.schema
		.createTable('sdv_site_cell')
		.addColumn('study_id', 'integer', (c) => c.notNull())
		.addColumn('site_id', 'integer', (c) => c.notNull())
		.addColumn('records', 'integer', (c) => c.notNull())
		.addColumn('records_verified', 'integer', (c) => c.notNull())
		.addColumn('field_count', 'integer', (c) => c.notNull())
		.addColumn('fields_verified', 'integer', (c) => c.notNull())
		.addColumn('fields_changed', 'integer', (c) => c.notNull())
		.addPrimaryKeyConstraint('sdv_site_cell_pk', ['study_id', 'site_id'])
		.execute();
	await db
		.insertInto('sdv_site_cell')
		.columns([
			'study_id',
			'site_id',
			'records',
			'records_verified',
			'field_count',
			'fields_verified',
			'fields_changed'
		])
		.expression(
			db
				.selectFrom('sdv_record_status as x')
				.select(['x.study_id', 'x.site_id'])
				.select([
					sql`count(*)`.as('records'),
					sql`sum(case when x.status = 'verified' then 1 else 0 end)`.as('records_verified'),
					sql`sum(x.field_count)`.as('field_count'),
					sql`sum(x.fields_verified)`.as('fields_verified'),
					sql`sum(x.fields_changed)`.as('fields_changed')
				])
				.groupBy(['x.study_id', 'x.site_id'])
		)
		.execute();
}

export async function down(db: AnyDb): Promise<void> {
	await db.schema.dropTable('sdv_site_cell').execute();
}
