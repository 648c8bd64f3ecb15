// The safety-signals page's second level over the per-session summaries, at the grain the page
// shows: per study × site × dose group, the dosed participants and their sessions and, per
// measure, the sessions whose peak falls in each histogram bin (session_peak_cell, from
// session_peak); per rule, the breaches and the sessions with one (session_breach_cell, from
// session_breach). Cells are counts, so a write adds what the participant's rows give after it
// and takes away what they gave before (services/dashboards/safety-cells.ts); a rebuild groups
// everyone's rows. Migration 2026_12_11_3000 backfills with a frozen copy of these queries.
import { sql, type Expression, type Insertable, type SqlBool } from 'kysely';
import type { VitalMeasure } from '../../domain/protocol';
import type { Executor } from '../db';
import { compiledOnce } from '../db/prepared';
import { addToCells } from './counted-cells';
import type { SessionBreachCellTable, SessionPeakCellTable } from '../db/schema-summaries';

/** The `measure` of the row of a site × dose group that counts its sessions and participants. */
export const ALL_SESSIONS = '' as const;

/**
 * The histogram's bins, fixed in the summary: 10 mmHg, 10 bpm, 0.2 °C. A bin is computed in
 * whole units of 1 / `scale` so its edges are exact: ⌊round(peak × scale) / width⌋ × width.
 * Changing one needs a migration that rebuilds session_peak_cell.
 */
export const PEAK_BINS: Record<
	VitalMeasure,
	{
		column: 'systolic' | 'diastolic' | 'heart_rate' | 'temperature_c';
		scale: number;
		width: number;
	}
> = {
	systolic: { column: 'systolic', scale: 1, width: 10 },
	diastolic: { column: 'diastolic', scale: 1, width: 10 },
	heartRate: { column: 'heart_rate', scale: 1, width: 10 },
	temperature: { column: 'temperature_c', scale: 10, width: 2 }
};

const MEASURES = Object.keys(PEAK_BINS) as VitalMeasure[];

/** Whose session rows (aliased `x`) a cell query covers: a session's participant, or everyone's. */
type Whose = { participantId: number } | { sessionId: number } | 'all';

function rowsOf(whose: Whose): Expression<SqlBool> {
	if (whose === 'all') return sql<SqlBool>`1 = 1`;
	// A session's cells move with its participant's rows: whether they are dosed is theirs.
	const participant =
		'participantId' in whose
			? sql`${whose.participantId}`
			: sql`(select ds.participant_id from dosing_session ds where ds.id = ${whose.sessionId})`;
	return sql<SqlBool>`x.participant_id = ${participant}`;
}

/** A peak's bin, with `scale` still applied (literals: a bound number may arrive as REAL). */
function binOf(measure: VitalMeasure) {
	const { column, scale, width } = PEAK_BINS[measure];
	const w = sql.lit(width);
	return sql<number>`(cast(round(${sql.ref(`x.${column}`)} * ${sql.lit(scale)}) as integer) / ${w}) * ${w}`;
}

/** The cells the session_peak rows of `whose` give: one query, a row per cell. */
function peakCellsOf(db: Executor, whose: Whose) {
	const scope = ['x.study_id', 'x.site_id', 'x.dose_group'] as const;
	const all = db
		.selectFrom('session_peak as x')
		.select(scope)
		.select(sql<PeakCell['measure']>`${sql.lit(ALL_SESSIONS)}`.as('measure'))
		.select(sql<number>`0`.as('bin'))
		.select(sql<number>`count(*)`.as('sessions'))
		.select(sql<number>`count(distinct x.participant_id)`.as('participants'))
		.where(rowsOf(whose))
		.groupBy([...scope]);
	return MEASURES.reduce((q, measure) => {
		const bin = binOf(measure);
		return q.unionAll(
			db
				.selectFrom('session_peak as x')
				.select(scope)
				.select(sql<PeakCell['measure']>`${sql.lit(measure)}`.as('measure'))
				.select(bin.as('bin'))
				.select(sql<number>`count(*)`.as('sessions'))
				.select(sql<number>`0`.as('participants'))
				.where(rowsOf(whose))
				.where(sql.ref(`x.${PEAK_BINS[measure].column}`), 'is not', null)
				.groupBy([...scope, bin])
		);
	}, all);
}

/** The cells the session_breach rows of `whose` give. */
function breachCellsOf(db: Executor, whose: Whose) {
	return db
		.selectFrom('session_breach as x')
		.select(['x.study_id', 'x.site_id', 'x.dose_group', 'x.rule_id'])
		.select(sql<number>`sum(x.breaches)`.as('breaches'))
		.select(sql<number>`count(*)`.as('sessions'))
		.where(rowsOf(whose))
		.groupBy(['x.study_id', 'x.site_id', 'x.dose_group', 'x.rule_id']);
}

export type PeakCell = Insertable<SessionPeakCellTable>;
export type BreachCell = Insertable<SessionBreachCellTable>;

const peaksOfSession = compiledOnce((db, id: number) => peakCellsOf(db, { sessionId: id }));
const peaksOfParticipant = compiledOnce((db, id: number) => peakCellsOf(db, { participantId: id }));
const breachesOfSession = compiledOnce((db, id: number) => breachCellsOf(db, { sessionId: id }));
const breachesOfParticipant = compiledOnce((db, id: number) =>
	breachCellsOf(db, { participantId: id })
);

/** What a participant's (or a session's participant's) peaks give to the cells. */
export async function peakCellRows(
	db: Executor,
	of: { participantId: number } | { sessionId: number }
): Promise<PeakCell[]> {
	const rows =
		'sessionId' in of
			? await peaksOfSession(db, of.sessionId)
			: await peaksOfParticipant(db, of.participantId);
	return rows.map((r) => ({
		...r,
		bin: Number(r.bin),
		sessions: Number(r.sessions),
		participants: Number(r.participants)
	}));
}

/** What a participant's (or a session's participant's) breaches give to the cells. */
export async function breachCellRows(
	db: Executor,
	of: { participantId: number } | { sessionId: number }
): Promise<BreachCell[]> {
	const rows =
		'sessionId' in of
			? await breachesOfSession(db, of.sessionId)
			: await breachesOfParticipant(db, of.participantId);
	return rows.map((r) => ({ ...r, breaches: Number(r.breaches), sessions: Number(r.sessions) }));
}

const PEAK_CELLS = {
	key: ['study_id', 'measure', 'site_id', 'dose_group', 'bin'],
	counters: ['sessions', 'participants'],
	countedBy: 'sessions'
} as const;
const BREACH_CELLS = {
	key: ['study_id', 'rule_id', 'site_id', 'dose_group'],
	counters: ['breaches', 'sessions'],
	countedBy: 'sessions'
} as const;

/** Adds these changes to the peak cells, then removes those left with no session. */
export const addPeakCells = (db: Executor, deltas: readonly PeakCell[]) =>
	addToCells(db, 'session_peak_cell', PEAK_CELLS, deltas);

/** Adds these changes to the breach cells, then removes those left with no session. */
export const addBreachCells = (db: Executor, deltas: readonly BreachCell[]) =>
	addToCells(db, 'session_breach_cell', BREACH_CELLS, deltas);

/** Every cell replaced from the session summaries (a rebuild of every summary). */
export async function rebuildSafetyCells(db: Executor) {
	await db.deleteFrom('session_peak_cell').execute();
	await db
		.insertInto('session_peak_cell')
		.columns(['study_id', 'site_id', 'dose_group', 'measure', 'bin', 'sessions', 'participants'])
		.expression(peakCellsOf(db, 'all'))
		.execute();
	await db.deleteFrom('session_breach_cell').execute();
	await db
		.insertInto('session_breach_cell')
		.columns(['study_id', 'site_id', 'dose_group', 'rule_id', 'breaches', 'sessions'])
		.expression(breachCellsOf(db, 'all'))
		.execute();
}
