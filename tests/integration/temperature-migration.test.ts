// The migration that splits the entered temperature ("100.4 F") into a value and a unit carries
// every stored reading over, and refuses (rather than guesses) a string it cannot read.
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/lib/server/db';
import { migrateToLatest, migratorFor } from '../../src/lib/server/db/migrate';

const BEFORE = '2026_11_29_2130_ae_reports';

async function before(rows: Array<[number, string | null, number | null]>) {
	const { db, sqlite } = openDatabase(':memory:');
	const { error } = await migratorFor(db).migrateTo(BEFORE);
	expect(error).toBeUndefined();
	// Only the readings matter here; the rows they point at are not needed for this check.
	sqlite.pragma('foreign_keys = OFF');
	const insert = sqlite.prepare(
		`insert into vital_reading (id, dosing_session_id, participant_id, site_id, timepoint_label,
		 measured_at, temperature_c, temperature_entered, source, created_at)
		 values (?, 1, 1, 1, 'PRE-DOSE', '2026-11-20T09:30:00.000Z', ?, ?, 'entry', '2026-11-20T09:31:00.000Z')`
	);
	for (const [id, entered, c] of rows) insert.run(id, c, entered);
	return { db, sqlite };
}

describe('the temperature value-and-unit migration', () => {
	it('carries "value unit" strings over as a number and a unit, and leaves the rest empty', async () => {
		const { db, sqlite } = await before([
			[1, '100.4 F', 38],
			[2, '36.8 C', 36.8],
			[3, '-1 C', -1],
			[4, null, null]
		]);
		await migrateToLatest(db);
		const rows = sqlite
			.prepare(
				'select id, temperature_c, temperature_value, temperature_unit from vital_reading order by id'
			)
			.all();
		expect(rows).toEqual([
			{ id: 1, temperature_c: 38, temperature_value: 100.4, temperature_unit: 'F' },
			{ id: 2, temperature_c: 36.8, temperature_value: 36.8, temperature_unit: 'C' },
			{ id: 3, temperature_c: -1, temperature_value: -1, temperature_unit: 'C' },
			{ id: 4, temperature_c: null, temperature_value: null, temperature_unit: null }
		]);
		const columns = sqlite.prepare("select name from pragma_table_info('vital_reading')").all();
		expect(columns.map((c) => (c as { name: string }).name)).not.toContain('temperature_entered');
		await db.destroy();
	});

	it('stops at a string it cannot read instead of guessing, naming the reading', async () => {
		const { db } = await before([[7, 'warm', null]]);
		await expect(migrateToLatest(db)).rejects.toThrow(
			/temperature_value_unit failed: .*vital_reading 7: the entered temperature "warm"/
		);
		await db.destroy();
	});
});
