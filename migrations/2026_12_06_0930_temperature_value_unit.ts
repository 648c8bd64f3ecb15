// Frozen once landed: never edit; add a new migration instead.
// The temperature as entered is kept as a value and a unit ('C' or 'F'), not as a string such as
// "100.4 F" that readers parsed back with a regex. Existing rows are carried over, then the string
// column goes. (temperature_c, the value in °C that the safety rules use, is unchanged.)
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations use no app types
type AnyDb = Kysely<any>;

/** What the services wrote: `${value} ${unit}`; nothing else was ever stored. */
const ENTERED = /^\s*(-?\d+(?:\.\d+)?)\s*([CF])\s*$/;

export async function up(db: AnyDb): Promise<void> {
	await db.schema.alterTable('vital_reading').addColumn('temperature_value', 'real').execute();
	await db.schema.alterTable('vital_reading').addColumn('temperature_unit', 'text').execute();
	const rows: Array<{ id: number; temperature_entered: string }> = await db
		.selectFrom('vital_reading')
		.select(['id', 'temperature_entered'])
		.where('temperature_entered', 'is not', null)
		.execute();
	for (const r of rows) {
		const m = ENTERED.exec(r.temperature_entered);
		if (!m) {
			throw new Error(
				`vital_reading ${r.id}: the entered temperature "${r.temperature_entered}" is not a value and a unit`
			);
		}
		await db
			.updateTable('vital_reading')
			.set({ temperature_value: Number(m[1]), temperature_unit: m[2] })
			.where('id', '=', r.id)
			.execute();
	}
	await db.schema.alterTable('vital_reading').dropColumn('temperature_entered').execute();
}

export async function down(db: AnyDb): Promise<void> {
	await db.schema.alterTable('vital_reading').addColumn('temperature_entered', 'text').execute();
	const rows: Array<{ id: number; temperature_value: number; temperature_unit: string }> = await db
		.selectFrom('vital_reading')
		.select(['id', 'temperature_value', 'temperature_unit'])
		.where('temperature_value', 'is not', null)
		.execute();
	for (const r of rows) {
		await db
			.updateTable('vital_reading')
			.set({ temperature_entered: `${r.temperature_value} ${r.temperature_unit}` })
			.where('id', '=', r.id)
			.execute();
	}
	await db.schema.alterTable('vital_reading').dropColumn('temperature_unit').execute();
	await db.schema.alterTable('vital_reading').dropColumn('temperature_value').execute();
}
