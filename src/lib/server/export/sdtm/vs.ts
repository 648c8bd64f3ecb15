// SDTM VS (Vital Signs): one row per measure per reading in effect, with the session's timepoints
// (VSTPT, VSTPTNUM, VSELTM from the initial dose) and the pre-dose baseline flag.
import { DEFAULT_VITALS_TIMEPOINTS } from '../../../domain/protocol';
import { minutesFromT0, pickBaseline, vseltm, type VitalMeasure } from '../../../domain/vitals';
import type { Executor } from '../../db';
import { keysetPages, type ExportScope } from '../pages';
import type { ProtocolLookup } from '../protocols';
import { dtc, IDENTIFIERS, SequenceBySubject } from './common';
import { vsPage, type VsKey, type VsSource } from './vs-query';

export { countVs } from './vs-query';

export const VS_COLUMNS = [
	...IDENTIFIERS,
	'VSSEQ',
	'VSTESTCD',
	'VSTEST',
	'VSPOS',
	'VSORRES',
	'VSORRESU',
	'VSSTRESN',
	'VSSTRESU',
	'VSBLFL',
	'VISITNUM',
	'VISIT',
	'VSDTC',
	'VSTPT',
	'VSTPTNUM',
	'VSELTM',
	'VSTPTREF'
] as const;
export type VsRow = Record<(typeof VS_COLUMNS)[number], string | number>;

/** DOMAIN.md §4, pharmaversesdtm pilot: VSTESTCD, CDISC CT VSTEST and VSRESU units. */
const TESTS = [
	{ measure: 'systolic', code: 'SYSBP', test: 'Systolic Blood Pressure', unit: 'mmHg' },
	{ measure: 'diastolic', code: 'DIABP', test: 'Diastolic Blood Pressure', unit: 'mmHg' },
	{ measure: 'heartRate', code: 'PULSE', test: 'Pulse Rate', unit: 'beats/min' },
	{ measure: 'temperature', code: 'TEMP', test: 'Temperature', unit: 'C' }
] as const satisfies ReadonlyArray<{
	measure: VitalMeasure;
	code: string;
	test: string;
	unit: string;
}>;

const valueOf = (r: VsSource, m: VitalMeasure) =>
	({
		systolic: r.systolic,
		diastolic: r.diastolic,
		heartRate: r.heart_rate,
		temperature: r.temperature_c
	})[m];

/** VSORRES/VSORRESU as entered: a temperature typed in °F stays °F ("100.4 F"). */
function original(r: VsSource, m: VitalMeasure, value: number, unit: string): [string, string] {
	const typed =
		m === 'temperature' ? /^(-?[\d.]+) ([CF])$/.exec(r.temperature_entered ?? '') : null;
	return typed ? [typed[1]!, typed[2]!] : [String(value), unit];
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

/**
 * VSELTM is the planned elapsed time from the initial dose; a reading without a planned time
 * (end of session, unscheduled recheck) gets its actual elapsed time, to the minute.
 */
function elapsed(r: VsSource): string {
	if (r.timepoint_minutes !== null) return duration(r.timepoint_minutes);
	return duration(Math.round(minutesFromT0(r.t0, r.measured_at)));
}

const toReading = (r: VsSource) => ({
	id: r.id,
	takenAt: r.measured_at,
	systolic: r.systolic,
	diastolic: r.diastolic,
	heartRate: r.heart_rate,
	temperature: r.temperature_c
});

type Test = (typeof TESTS)[number];

interface SessionFacts {
	tp: Timepoints;
	seq: SequenceBySubject;
	/** The baseline reading's id per measure. */
	baselines: Map<VitalMeasure, number | undefined>;
}

// Written out field by field: object spread here costs more than the rest of the row (bench).
function vsRow(r: VsSource, t: Test, value: number, f: SessionFacts): VsRow {
	const usubjid = `${r.study_code}-${r.subject_code}`; // as identifiers() in common.ts
	const [orres, orresu] = original(r, t.measure, value, t.unit);
	return {
		STUDYID: r.study_code,
		DOMAIN: 'VS',
		USUBJID: usubjid,
		SUBJID: r.subject_code,
		SITEID: r.site_code,
		VSSEQ: f.seq.next(usubjid),
		VSTESTCD: t.code,
		VSTEST: t.test,
		VSPOS: r.position ?? '', // CDISC CT POSITION (C71148), stored as submitted
		VSORRES: orres,
		VSORRESU: orresu,
		VSSTRESN: value, // stored in the standard unit: mmHg, beats/min, °C (0.1)
		VSSTRESU: t.unit,
		VSBLFL: f.baselines.get(t.measure) === r.id ? 'Y' : '', // DOMAIN.md §1: last before T0
		VISITNUM: r.visit_number ?? '',
		VISIT: r.visit_label ?? '',
		VSDTC: dtc(r.measured_at),
		VSTPT: r.timepoint_label,
		VSTPTNUM: f.tp.numbers.get(r.timepoint_label) ?? '',
		VSELTM: elapsed(r),
		VSTPTREF: f.tp.reference // DOMAIN.md §1: reference "INITIAL DOSE"
	};
}

/** One session's readings, in time order, as VS rows. */
function sessionRows(readings: VsSource[], tp: Timepoints, seq: SequenceBySubject): VsRow[] {
	const domain = readings.map(toReading);
	const t0 = readings[0]!.t0;
	const baselines = new Map(
		TESTS.map((t) => [t.measure, pickBaseline(domain, t0, t.measure)?.id] as const)
	);
	const facts: SessionFacts = { tp, seq, baselines };
	const rows: VsRow[] = [];
	for (const r of readings) {
		for (const t of TESTS) {
			const value = valueOf(r, t.measure);
			if (value !== null) rows.push(vsRow(r, t, value, facts));
		}
	}
	return rows;
}

/** VS rows, a session at a time: the baseline needs the whole session's readings. */
export async function* vsRows(
	db: Executor,
	scope: ExportScope,
	protocolOf: ProtocolLookup
): AsyncGenerator<VsRow> {
	const timepoints = timepointsOf(protocolOf);
	const seq = new SequenceBySubject();
	const pages = keysetPages(
		(after: VsKey | null, limit) => vsPage(db, scope, after, limit),
		(last): VsKey => [last.dosing_session_id, last.measured_at, last.id],
		scope.pageSize
	);
	let session: VsSource[] = [];
	for await (const page of pages) {
		for (const reading of page) {
			const current = session[0];
			if (current && current.dosing_session_id !== reading.dosing_session_id) {
				yield* sessionRows(session, await timepoints(current.study_id), seq);
				session = [];
			}
			session.push(reading);
		}
	}
	if (session[0]) yield* sessionRows(session, await timepoints(session[0].study_id), seq);
}
