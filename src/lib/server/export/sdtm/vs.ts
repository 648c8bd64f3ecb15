// SDTM VS (Vital Signs): one row per measure per reading in effect. Planned timepoints carry
// VSTPT, VSTPTNUM, VSELTM (from the initial dose) and VSTPTREF; unscheduled readings only their
// actual time (VSDTC). VSLOBXFL marks the last value of each test before the first dose.
import { DEFAULT_VITALS_TIMEPOINTS } from '../../../domain/protocol';
import { measuresOf, pickBaseline, vseltm, type VitalMeasure } from '../../../domain/vitals';
import type { Executor } from '../../db';
import { keysetPages, type ExportScope } from '../pages';
import type { ProtocolLookup } from '../protocols';
import { VS, VS_ALL, VS_TESTS, studyDay, type SdtmRow } from '../../../domain/sdtm';
import { dtc, SequenceBySubject, sessionVisit, usubjid as usubjidOf } from './common';
import { vsPage, type VsKey, type VsSource } from './vs-query';

export { countVs } from './vs-query';

export type VsRow = SdtmRow<(typeof VS.variables)[number]['name']>;

type Test = (typeof VS_TESTS)[number];

/** A measured value, or a reading not done (VSALL, with its reason). */
type Result = { test: Test; value: number } | { notDone: string };

const valueOf = (r: VsSource, m: VitalMeasure) => measuresOf(r)[m];

/** VSORRES/VSORRESU as entered: a temperature typed in °F stays °F ("100.4 F"). */
function original(r: VsSource, m: VitalMeasure, value: number, unit: string): [string, string] {
	if (m === 'temperature' && r.temperature_value !== null && r.temperature_unit !== null) {
		return [String(r.temperature_value), r.temperature_unit];
	}
	return [String(value), unit];
}

interface Timepoints {
	numbers: Map<string, number>;
	reference: string;
}

/** The study's timepoint numbers (VSTPTNUM) and reference (VSTPTREF), read once per study. */
function timepointsOf(protocolOf: ProtocolLookup) {
	const cache = new Map<number, Promise<Timepoints>>();
	const load = async (studyId: number): Promise<Timepoints> => {
		const { protocol } = await protocolOf(studyId);
		const all = [...DEFAULT_VITALS_TIMEPOINTS, ...protocol.dosingSession.vitalsTimepoints];
		return {
			numbers: new Map(all.map((t) => [t.vstpt, t.vstptnum])),
			reference: protocol.dosingSession.timepointReference
		};
	};
	return (studyId: number) => {
		if (!cache.has(studyId)) cache.set(studyId, load(studyId));
		return cache.get(studyId)!;
	};
}

const durations = new Map<number, string>();

/** vseltm() for whole minutes, remembered: a study has few distinct ones. */
function duration(minutes: number): string {
	let text = durations.get(minutes);
	if (text === undefined) durations.set(minutes, (text = vseltm(minutes)));
	return text;
}

const toReading = (r: VsSource) => ({
	id: r.id,
	takenAt: r.measured_at,
	...measuresOf(r),
	notDone: r.not_done_reason ?? undefined
});

interface SessionFacts {
	tp: Timepoints;
	seq: SequenceBySubject;
	/** Per measure, the reading that is the last before the subject's first dose, if here. */
	lastBeforeExposure: Map<VitalMeasure, number | undefined>;
	rfstdtc: string | null;
}

/** What every VS row of one reading shares: worked out once per reading, not once per measure. */
interface ReadingFacts {
	usubjid: string;
	visit: { VISITNUM: number | null; VISIT: string | null };
	vsdtc: string | null;
	vsdy: number | null;
	tptnum: number | undefined;
	eltm: string | null;
	rftdtc: string | null;
}

function readingFacts(r: VsSource, f: SessionFacts): ReadingFacts {
	const tptnum = f.tp.numbers.get(r.timepoint_label);
	const planned = tptnum !== undefined; // an unscheduled reading has no planned timepoint
	const vsdtc = dtc(r.measured_at); // a reading not done: its planned time
	return {
		usubjid: usubjidOf(r),
		visit: sessionVisit(r),
		vsdtc,
		vsdy: studyDay(vsdtc, f.rfstdtc),
		tptnum,
		eltm: planned && r.timepoint_minutes !== null ? duration(r.timepoint_minutes) : null,
		rftdtc: planned ? dtc(r.t0) : null
	};
}

// Written out field by field: object spread here costs more than the rest of the row (bench).
function vsRow(r: VsSource, result: Result, f: SessionFacts, g: ReadingFacts): VsRow {
	const done = 'test' in result;
	const [orres, orresu] = done
		? original(r, result.test.measure, result.value, result.test.unit)
		: [null, null];
	const planned = g.tptnum !== undefined;
	return {
		STUDYID: r.study_code,
		DOMAIN: 'VS',
		USUBJID: g.usubjid,
		VSSEQ: f.seq.next(g.usubjid),
		VSTESTCD: done ? result.test.code : VS_ALL.code,
		VSTEST: done ? result.test.test : VS_ALL.test,
		VSPOS: r.position, // CDISC CT POSITION (C71148), stored as submitted
		VSORRES: orres,
		VSORRESU: orresu,
		VSSTRESC: done ? String(result.value) : null,
		VSSTRESN: done ? result.value : null, // stored in the standard unit: mmHg, beats/min, °C (0.1)
		VSSTRESU: done ? result.test.unit : null,
		VSSTAT: done ? null : 'NOT DONE',
		VSREASND: done ? null : result.notDone,
		VSLOBXFL: done && f.lastBeforeExposure.get(result.test.measure) === r.id ? 'Y' : null,
		VISITNUM: g.visit.VISITNUM,
		VISIT: g.visit.VISIT,
		VSDTC: g.vsdtc,
		VSDY: g.vsdy,
		VSTPT: planned ? r.timepoint_label : null,
		VSTPTNUM: planned ? g.tptnum! : null,
		VSELTM: g.eltm,
		VSTPTREF: planned ? f.tp.reference : null, // DOMAIN.md §1: reference "INITIAL DOSE"
		VSRFTDTC: g.rftdtc
	};
}

/** One session's readings, in time order, as VS rows added to `rows`. */
function sessionRows(
	readings: VsSource[],
	tp: Timepoints,
	seq: SequenceBySubject,
	rows: VsRow[] = []
): VsRow[] {
	const first = readings[0]!;
	// Only the subject's first session holds readings before the first dose (RFXSTDTC).
	const isFirst = first.first_dose_at === first.t0;
	const domain = isFirst ? readings.map(toReading) : [];
	const lastBeforeExposure = new Map(
		VS_TESTS.map((t) => [t.measure, pickBaseline(domain, first.t0, t.measure)?.id] as const)
	);
	const facts: SessionFacts = { tp, seq, lastBeforeExposure, rfstdtc: dtc(first.first_dose_at) };
	for (const r of readings) {
		const g = readingFacts(r, facts);
		if (r.not_done_reason !== null) {
			rows.push(vsRow(r, { notDone: r.not_done_reason }, facts, g));
			continue;
		}
		for (const test of VS_TESTS) {
			const value = valueOf(r, test.measure);
			if (value !== null) rows.push(vsRow(r, { test, value }, facts, g));
		}
	}
	return rows;
}

/**
 * VS rows a page at a time: the rows of every session a page of readings completes (the baseline
 * needs a whole session's readings, so a session a page leaves open waits for the next).
 */
export async function* vsBatches(
	db: Executor,
	scope: ExportScope,
	protocolOf: ProtocolLookup
): AsyncGenerator<VsRow[]> {
	const timepoints = timepointsOf(protocolOf);
	const seq = new SequenceBySubject();
	const pages = keysetPages(
		(after: VsKey | null, limit) => vsPage(db, scope, after, limit),
		(last): VsKey => [last.dosing_session_id, last.measured_at, last.id],
		scope.pageSize
	);
	let session: VsSource[] = [];
	for await (const page of pages) {
		const rows: VsRow[] = [];
		for (const reading of page) {
			const current = session[0];
			if (current && current.dosing_session_id !== reading.dosing_session_id) {
				sessionRows(session, await timepoints(current.study_id), seq, rows);
				session = [];
			}
			session.push(reading);
		}
		if (rows.length > 0) yield rows;
	}
	if (session[0]) yield sessionRows(session, await timepoints(session[0].study_id), seq);
}

/** VS rows one by one, in the order of vsBatches. */
export async function* vsRows(
	db: Executor,
	scope: ExportScope,
	protocolOf: ProtocolLookup
): AsyncGenerator<VsRow> {
	for await (const rows of vsBatches(db, scope, protocolOf)) yield* rows;
}
