// SDTM VS (Vital Signs): one row per measure per reading in effect. Planned timepoints carry
// VSTPT, VSTPTNUM, VSELTM (from the initial dose) and VSTPTREF; unscheduled readings only their
// actual time (VSDTC). VSLOBXFL marks the last value of each test before the first dose.
import { DEFAULT_VITALS_TIMEPOINTS } from '../../../domain/protocol';
import {
	MEASURE_COLUMNS,
	measuresOf,
	pickBaseline,
	vseltm,
	type VitalMeasure
} from '../../../domain/vitals';
import type { Executor } from '../../db';
import { keysetPages, type ExportScope } from '../pages';
import type { ProtocolLookup } from '../protocols';
import { VS, VS_ALL, VS_TESTS, studyDay, type SdtmRow } from '../../../domain/sdtm';
import { dtc, SequenceBySubject, sessionVisit, usubjid as usubjidOf } from './common';
import { vsPage, type SessionSource, type VsKey, type VsReading } from './vs-query';

export { countVs } from './vs-query';

export type VsRow = SdtmRow<(typeof VS.variables)[number]['name']>;

type Test = (typeof VS_TESTS)[number];

/** A measured value, or a reading not done (VSALL, with its reason). */
type Result = { test: Test; value: number } | { notDone: string };

/** Each test with its reading's column read directly (measuresOf made an object per read). */
const TESTS = VS_TESTS.map((test) => {
	const column = MEASURE_COLUMNS[test.measure];
	return { test, read: (r: VsReading): number | null => r[column] };
});

/** VSORRES as entered: a temperature typed in °F stays °F ("100.4 F"); VSORRESU is original(). */
function originalValue(r: VsReading, m: VitalMeasure, value: string): string {
	return m === 'temperature' && r.temperature_value !== null && r.temperature_unit !== null
		? String(r.temperature_value)
		: value;
}

function originalUnit(r: VsReading, m: VitalMeasure, unit: string): string {
	return m === 'temperature' && r.temperature_value !== null && r.temperature_unit !== null
		? r.temperature_unit
		: unit;
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

const toReading = (r: VsReading) => ({
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
	/** What every reading of the session shares: its subject, visit and reference time. */
	usubjid: string;
	visit: { VISITNUM: number | null; VISIT: string | null };
	rftdtc: string | null;
	session: SessionSource;
	/** The last reading's date (YYYY-MM-DD…) and its study day: most readings share a day. */
	day: string | null;
	vsdy: number | null;
}

/** What every VS row of one reading shares: worked out once per reading, not once per measure. */
interface ReadingFacts {
	vsdtc: string | null;
	vsdy: number | null;
	tptnum: number | undefined;
	eltm: string | null;
}

function readingFacts(r: VsReading, f: SessionFacts): ReadingFacts {
	const tptnum = f.tp.numbers.get(r.timepoint_label);
	const planned = tptnum !== undefined; // an unscheduled reading has no planned timepoint
	const vsdtc = dtc(r.measured_at); // a reading not done: its planned time
	// studyDay reads only the date part (the first ten characters), so a day is worked out once.
	const day = vsdtc === null ? null : vsdtc.slice(0, 10);
	if (day === null || day !== f.day) {
		f.day = day;
		f.vsdy = studyDay(vsdtc, f.rfstdtc);
	}
	return {
		vsdtc,
		vsdy: f.vsdy,
		tptnum,
		eltm: planned && r.timepoint_minutes !== null ? duration(r.timepoint_minutes) : null
	};
}

// Written out field by field: object spread here costs more than the rest of the row (bench).
function vsRow(r: VsReading, result: Result, f: SessionFacts, g: ReadingFacts): VsRow {
	const done = 'test' in result;
	const value = done ? String(result.value) : null;
	const planned = g.tptnum !== undefined;
	return {
		STUDYID: f.session.study_code,
		DOMAIN: 'VS',
		USUBJID: f.usubjid,
		VSSEQ: f.seq.next(f.usubjid),
		VSTESTCD: done ? result.test.code : VS_ALL.code,
		VSTEST: done ? result.test.test : VS_ALL.test,
		VSPOS: r.position, // CDISC CT POSITION (C71148), stored as submitted
		VSORRES: done ? originalValue(r, result.test.measure, value!) : null,
		VSORRESU: done ? originalUnit(r, result.test.measure, result.test.unit) : null,
		VSSTRESC: value,
		VSSTRESN: done ? result.value : null, // stored in the standard unit: mmHg, beats/min, °C (0.1)
		VSSTRESU: done ? result.test.unit : null,
		VSSTAT: done ? null : 'NOT DONE',
		VSREASND: done ? null : result.notDone,
		VSLOBXFL: done && f.lastBeforeExposure.get(result.test.measure) === r.id ? 'Y' : null,
		VISITNUM: f.visit.VISITNUM,
		VISIT: f.visit.VISIT,
		VSDTC: g.vsdtc,
		VSDY: g.vsdy,
		VSTPT: planned ? r.timepoint_label : null,
		VSTPTNUM: planned ? g.tptnum! : null,
		VSELTM: g.eltm,
		VSTPTREF: planned ? f.tp.reference : null, // DOMAIN.md §1: reference "INITIAL DOSE"
		VSRFTDTC: planned ? f.rftdtc : null
	};
}

/** One session's readings, in time order, as VS rows added to `rows`. */
function sessionRows(
	readings: VsReading[],
	tp: Timepoints,
	seq: SequenceBySubject,
	rows: VsRow[] = []
): VsRow[] {
	const session = readings[0]!.session;
	// Only the subject's first session holds readings before the first dose (RFXSTDTC).
	const isFirst = session.first_dose_at === session.t0;
	const domain = isFirst ? readings.map(toReading) : [];
	const lastBeforeExposure = new Map(
		VS_TESTS.map((t) => [t.measure, pickBaseline(domain, session.t0, t.measure)?.id] as const)
	);
	const facts: SessionFacts = {
		tp,
		seq,
		lastBeforeExposure,
		rfstdtc: dtc(session.first_dose_at),
		usubjid: usubjidOf(session),
		visit: sessionVisit(session),
		rftdtc: dtc(session.t0),
		session,
		day: null,
		vsdy: null
	};
	for (const r of readings) {
		const g = readingFacts(r, facts);
		if (r.not_done_reason !== null) {
			rows.push(vsRow(r, { notDone: r.not_done_reason }, facts, g));
			continue;
		}
		for (const { test, read } of TESTS) {
			const value = read(r);
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
	let session: VsReading[] = [];
	for await (const page of pages) {
		const rows: VsRow[] = [];
		for (const reading of page) {
			const current = session[0];
			if (current && current.dosing_session_id !== reading.dosing_session_id) {
				sessionRows(session, await timepoints(current.session.study_id), seq, rows);
				session = [];
			}
			session.push(reading);
		}
		if (rows.length > 0) yield rows;
	}
	if (session[0]) yield sessionRows(session, await timepoints(session[0].session.study_id), seq);
}

/** VS rows one by one, in the order of vsBatches. */
export async function* vsRows(
	db: Executor,
	scope: ExportScope,
	protocolOf: ProtocolLookup
): AsyncGenerator<VsRow> {
	for await (const rows of vsBatches(db, scope, protocolOf)) yield* rows;
}
