// Frozen once landed: never edit; add a new migration instead.
// The safety-signals page's second-level AE summary (issue 10): per study × site × dose group,
// key (a coded term, 'any', an AE-of-special-interest category) and worst grade, the dosed
// participants counted, their events and how many had a serious one — a few hundred rows a page
// reads instead of every participant's. Kept by each AE write (services/dashboards/
// ae-site-keys.ts); backfilled here from ae_participant_term with a frozen copy of that fold and
// of the AESI categories as the coded-term list had them.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations use no app types
type AnyDb = Kysely<any>;

const AESI: Record<string, string> = {
	'VIG-0101': 'suicidality',
	'VIG-0102': 'suicidality',
	'VIG-0111': 'cardiovascular',
	'VIG-0112': 'cardiovascular',
	'VIG-0113': 'cardiovascular',
	'VIG-0114': 'cardiovascular',
	'VIG-0115': 'cardiovascular',
	'VIG-0116': 'cardiovascular',
	'VIG-0121': 'abuse-potential',
	'VIG-0122': 'abuse-potential',
	'VIG-0123': 'abuse-potential',
	'VIG-0131': 'hyponatraemia',
	'VIG-0141': 'hyperthermia-serotonin-toxicity',
	'VIG-0142': 'hyperthermia-serotonin-toxicity'
};

interface TermRow {
	participant_id: number;
	study_id: number;
	site_id: number;
	dose_group: string;
	coded_term_code: string | null;
	worst: number | null;
	events: number;
	serious: number;
}

interface Cell {
	study_id: number;
	site_id: number;
	dose_group: string;
	key_kind: string;
	key: string;
	worst: number;
	participants: number;
	events: number;
	with_serious: number;
}

function fold(rows: TermRow[]): Cell[] {
	const cells = new Map<string, Cell>();
	const byParticipant = new Map<number, TermRow[]>();
	for (const r of rows) {
		byParticipant.set(r.participant_id, [...(byParticipant.get(r.participant_id) ?? []), r]);
	}
	const add = (r: TermRow, kind: string, key: string, of: TermRow[]) => {
		let worst: number | null = null;
		for (const x of of) {
			if (x.worst !== null && (worst === null || Number(x.worst) > worst)) worst = Number(x.worst);
		}
		const bucket =
			worst !== null && Number.isInteger(worst) && worst >= 1 && worst <= 5 ? worst : 0;
		const id = JSON.stringify([r.study_id, r.site_id, r.dose_group, kind, key, bucket]);
		const cell = cells.get(id) ?? {
			study_id: r.study_id,
			site_id: r.site_id,
			dose_group: r.dose_group,
			key_kind: kind,
			key,
			worst: bucket,
			participants: 0,
			events: 0,
			with_serious: 0
		};
		cell.participants += 1;
		cell.events += of.reduce((a, x) => a + Number(x.events), 0);
		cell.with_serious += of.some((x) => Number(x.serious) > 0) ? 1 : 0;
		cells.set(id, cell);
	};
	for (const mine of byParticipant.values()) {
		const first = mine[0]!;
		for (const r of mine) add(r, 'term', r.coded_term_code ?? '', [r]);
		add(first, 'any', 'any', mine);
		const byCategory = new Map<string, TermRow[]>();
		for (const r of mine) {
			const category = r.coded_term_code === null ? undefined : AESI[r.coded_term_code];
			if (category) byCategory.set(category, [...(byCategory.get(category) ?? []), r]);
		}
		for (const [category, of] of byCategory) add(first, 'aesi', category, of);
	}
	return [...cells.values()];
}

export async function up(db: AnyDb): Promise<void> {
	await db.schema
		.createTable('ae_site_key')
		.addColumn('study_id', 'integer', (c) => c.notNull())
		.addColumn('site_id', 'integer', (c) => c.notNull())
		.addColumn('dose_group', 'text', (c) => c.notNull())
		.addColumn('key_kind', 'text', (c) => c.notNull())
		.addColumn('key', 'text', (c) => c.notNull())
		.addColumn('worst', 'integer', (c) => c.notNull())
		.addColumn('participants', 'integer', (c) => c.notNull())
		.addColumn('events', 'integer', (c) => c.notNull())
		.addColumn('with_serious', 'integer', (c) => c.notNull())
		.addPrimaryKeyConstraint('ae_site_key_pk', [
			'study_id',
			'site_id',
			'dose_group',
			'key_kind',
			'key',
			'worst'
		])
		.execute();
	const rows = (await db
		.selectFrom('ae_participant_term')
		.select([
			'participant_id',
			'study_id',
			'site_id',
			'dose_group',
			'coded_term_code',
			'worst',
			'events',
			'serious'
		])
		.execute()) as TermRow[];
	const cells = fold(rows);
	for (let i = 0; i < cells.length; i += 500) {
		await db
			.insertInto('ae_site_key')
			.values(cells.slice(i, i + 500))
			.execute();
	}
}

export async function down(db: AnyDb): Promise<void> {
	await db.schema.dropTable('ae_site_key').execute();
}
