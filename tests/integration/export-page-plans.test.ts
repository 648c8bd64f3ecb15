// Export pages cost what they hold, at any size of trial. Each SDTM page query must walk its own
// table by id from the last key and stop at the page's limit; a plan that sorts the whole table
// for every page makes an export quadratic (at the bench's trial tier, 30,000 participants, SV
// took minutes and DM never sent its first byte). SQLite's planner chooses by the statistics that
// `PRAGMA optimize` gathers, so the test gives an empty database the statistics of the trial tier
// and reads each page's plan. PostgreSQL plans by its own statistics; the plans here are SQLite's.
import type { LogEvent } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenedDatabase } from '../../src/lib/server/db';
import { migrateToLatest } from '../../src/lib/server/db/migrate';
import type { ExportScope } from '../../src/lib/server/export/pages';
import { aePage } from '../../src/lib/server/export/sdtm/ae';
import { cmPage } from '../../src/lib/server/export/sdtm/cm';
import { dmPage } from '../../src/lib/server/export/sdtm/dm';
import { dvPage } from '../../src/lib/server/export/sdtm/dv';
import { exPage } from '../../src/lib/server/export/sdtm/ex';
import { qsPage } from '../../src/lib/server/export/sdtm/qs';
import { svPage, unplannedPage } from '../../src/lib/server/export/sdtm/sv';
import { sqliteReadingsSql, vsSessionPage } from '../../src/lib/server/export/sdtm/vs-query';
import { onPostgres, openTestDatabase, recordingDb } from '../helpers/database';

/**
 * sqlite_stat1 of the bench's trial tier (30,000 participants over 64 sites): a full ANALYZE of
 * every table the pages read, every index on them (checked below: an index added without its
 * statistics here would be planned by a guess the server, which analyses at start-up, never makes).
 */
const TRIAL_STATS: Array<[table: string, index: string, stat: string]> = [
	['adverse_event', 'adverse_event_participant_idx', '98500 4'],
	['adverse_event', 'adverse_event_queue_idx', '98500 1540 8 1 1 1'],
	['adverse_event', 'adverse_event_sae_clock_idx', '98500 49250 32834 503'],
	['adverse_event', 'adverse_event_site_idx', '98500 1540'],
	['dosing_session', 'dosing_session_participant_idx', '50500 2'],
	['dosing_session', 'dosing_session_site_idx', '50500 790 8'],
	['participant', 'participant_dose_group_idx', '30000 30000 15000 235 235'],
	['participant', 'participant_site_idx', '30000 469'],
	['participant', 'sqlite_autoindex_participant_1', '30000 30000 1'],
	['scale_administration', 'scale_administration_participant_idx', '1017000 34 6'],
	['scale_administration', 'scale_administration_queue_idx', '1017000 15891 9 1 1 1 1'],
	['scale_administration', 'scale_administration_relapse_idx', '1017000 169500 6 1 1 1 1'],
	['site', 'sqlite_autoindex_site_1', '64 1'],
	['study', 'sqlite_autoindex_study_1', '1 1'],
	['visit', 'sqlite_autoindex_visit_1', '450000 15 1'],
	['visit', 'visit_completion_idx', '450000 7032 15 7 1 1'],
	['visit', 'visit_overdue_idx', '450000 7032 2344 13 1'],
	['visit', 'visit_site_idx', '450000 7032 2344'],
	['vital_reading', 'vital_reading_client_key_idx', '588500 12 12'],
	['vital_reading', 'vital_reading_session_idx', '588500 12 1'],
	['vital_reading', 'vital_reading_site_measured_idx', '588500 9196 8']
];

type PageFn = (
	db: Parameters<typeof aePage>[0],
	scope: ExportScope,
	after: number | null,
	limit: number
) => Promise<unknown[]>;

/** Each page query and the alias of the table it pages through. */
const PAGES: Array<[name: string, page: PageFn, driver: string]> = [
	['DM', dmPage, 'p'],
	['SV', svPage, 'v'],
	['SV unplanned', unplannedPage, 'ds'],
	['EX', exPage, 'ds'],
	['VS sessions', vsSessionPage, 'ds'],
	['AE', aePage, 'ae'],
	['CM', cmPage, 'cm'],
	['DV', dvPage, 'd'],
	['QS', qsPage, 'sa']
];

const SCOPES: Array<[label: string, scope: ExportScope, after: number | null]> = [
	['the whole trial, first page', { siteIds: 'all' }, null],
	['the whole trial, a later page', { siteIds: 'all' }, 1000],
	['one study named', { siteIds: 'all', studyId: 1 }, 1000]
];

let opened: OpenedDatabase;

beforeAll(async () => {
	if (onPostgres) return;
	opened = await openTestDatabase();
	await migrateToLatest(opened.db);
	if (opened.kind !== 'sqlite') return;
	opened.sqlite.exec('ANALYZE');
	opened.sqlite.exec('DELETE FROM sqlite_stat1');
	const insert = opened.sqlite.prepare(
		'INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)'
	);
	for (const row of TRIAL_STATS) insert.run(...row);
	opened.sqlite.exec('ANALYZE sqlite_schema'); // reload the statistics into the planner
});

it.skipIf(onPostgres)(
	'knows the trial statistics of every index on the tables the pages read',
	() => {
		if (opened.kind !== 'sqlite') throw new Error('SQLite only');
		const tables = [...new Set(TRIAL_STATS.map(([table]) => table))];
		const indexes = opened.sqlite
			.prepare(
				`select tbl_name, name from sqlite_master where type = 'index'
			 and tbl_name in (${tables.map(() => '?').join(', ')}) order by tbl_name, name`
			)
			.all(...tables) as Array<{ tbl_name: string; name: string }>;
		expect(indexes.map((i) => [i.tbl_name, i.name])).toEqual(
			TRIAL_STATS.map(([table, index]) => [table, index]).sort((a, b) =>
				a.join('.') < b.join('.') ? -1 : 1
			)
		);
	}
);

afterAll(async () => {
	await opened?.db.destroy();
});

/** The plan's lines (SQLite's EXPLAIN QUERY PLAN) of the first statement `page` runs. */
async function planOf(page: PageFn, scope: ExportScope, after: number | null): Promise<string[]> {
	const statements: LogEvent['query'][] = [];
	const db = recordingDb(opened, (e) => statements.push(e.query));
	await page(db, scope, after, 500);
	const first = statements[0]!;
	if (opened.kind !== 'sqlite') throw new Error('SQLite only');
	return opened.sqlite
		.prepare(`EXPLAIN QUERY PLAN ${first.sql}`)
		.all(...(first.parameters as unknown[]))
		.map((r) => (r as { detail: string }).detail);
}

describe.skipIf(onPostgres)('export page plans at the trial tier (SQLite)', () => {
	for (const [name, page, driver] of PAGES) {
		for (const [label, scope, after] of SCOPES) {
			it(`${name} walks its own table by id and sorts nothing: ${label}`, async () => {
				const plan = await planOf(page, scope, after);
				const loops = plan.filter((line) => /^(SCAN|SEARCH) /.test(line));
				// The outermost loop is the page's own table, read in id order.
				expect(loops[0], plan.join('\n')).toMatch(
					new RegExp(`^(SCAN ${driver}$|SEARCH ${driver} USING INTEGER PRIMARY KEY)`)
				);
				// DM picks a page of ids first and works out the reference dates (the correlated
				// subqueries) for those alone: sorting the ids of a named study is allowed there.
				const dates = plan.findIndex((line) => line.startsWith('CORRELATED SCALAR SUBQUERY'));
				const checked = name === 'DM' && dates > 0 ? plan.slice(dates) : plan;
				expect(checked, plan.join('\n')).not.toContain('USE TEMP B-TREE FOR ORDER BY');
			});
		}
	}
});

// VS reads a page of sessions' readings below Kysely on SQLite (sqliteReadingsSql): whatever the
// filters, each session's readings are one range of vital_reading_session_idx, in the file's order.
// Walking a site's readings (vital_reading_site_measured_idx) and sorting them would read a whole
// site for every page.
describe.skipIf(onPostgres)('VS readings page plan at the trial tier (SQLite)', () => {
	for (const sites of [false, true]) {
		for (const after of [false, true]) {
			it(`walks the session index and sorts nothing: ${sites ? 'some sites' : 'all sites'}, ${after ? 'a later page' : 'the first page'}`, () => {
				if (opened.kind !== 'sqlite') throw new Error('SQLite only');
				const params: unknown[] = [JSON.stringify([1, 2, 3])];
				if (sites) params.push(JSON.stringify([1]));
				if (after) params.push(1, '2026-01-01T00:00:00.000Z', 10);
				params.push(500);
				const plan = opened.sqlite
					.prepare(`EXPLAIN QUERY PLAN ${sqliteReadingsSql(sites, after)}`)
					.all(...params)
					.map((r) => (r as { detail: string }).detail);
				expect(plan[0], plan.join('\n')).toMatch(
					/^SEARCH vital_reading USING INDEX vital_reading_session_idx \(dosing_session_id=\?\)/
				);
				expect(plan, plan.join('\n')).not.toContain('USE TEMP B-TREE FOR ORDER BY');
			});
		}
	}
});
