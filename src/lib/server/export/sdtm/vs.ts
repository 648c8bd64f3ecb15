// SDTM VS (Vital Signs): one row per measure per reading in effect. Planned timepoints carry
// VSTPT, VSTPTNUM, VSELTM (from the initial dose) and VSTPTREF; unscheduled readings only their
// actual time (VSDTC). VSLOBXFL marks the last value of each test before the first dose.
import { DEFAULT_VITALS_TIMEPOINTS } from '../../../domain/protocol';
import {
	MEASURE_COLUMNS,
	measuresOf,
	pickBaseline,
	vseltm,
	withTimesParsed,
	type VitalMeasure
} from '../../../domain/vitals';
import type { Executor } from '../../db';
import type { ExportScope } from '../pages';
import type { ProtocolLookup } from '../protocols';
import {
	MAX_TEXT_BYTES,
	splitLongText,
	VS,
	VS_ALL,
	VS_TESTS,
	studyDay,
	type SdtmRow
} from '../../../domain/sdtm';
import { ChunkWriter } from '../chunk-writer';
import { csvField, csvLine, rowLine, textField } from '../csv';
import { dtc, SequenceBySubject, sessionVisit, usubjid as usubjidOf } from './common';
import { vsReadingPages, type SessionSource, type VsReading } from './vs-query';

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

const STORED_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * The readings pickBaseline may choose before `t0`: those taken before it. Stored instants (UTC,
 * toISOString's fixed width) compare as text as they do as times, so most readings of a session
 * (after its dose) are left out without being parsed; anything else is left to pickBaseline.
 */
function beforeDose(readings: VsReading[], t0: string): VsReading[] {
	if (!STORED_INSTANT.test(t0)) return readings;
	const before: VsReading[] = [];
	for (const r of readings) {
		if (!STORED_INSTANT.test(r.measured_at)) return readings;
		if (r.measured_at < t0) before.push(r);
	}
	return before;
}

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

/** What a session's VS rows share, worked out once: the baseline, its subject and visit. */
function sessionFacts(readings: VsReading[], tp: Timepoints, seq: SequenceBySubject): SessionFacts {
	const session = readings[0]!.session;
	// Only the subject's first session holds readings before the first dose (RFXSTDTC). Each
	// reading's time is parsed once for the four measures' passes (withTimesParsed).
	const isFirst = session.first_dose_at === session.t0;
	const domain = isFirst ? withTimesParsed(beforeDose(readings, session.t0).map(toReading)) : [];
	const lastBeforeExposure = new Map(
		VS_TESTS.map((t) => [t.measure, pickBaseline(domain, session.t0, t.measure)?.id] as const)
	);
	return {
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
}

/** One reading's VS rows, added to `rows`. */
function readingRows(r: VsReading, facts: SessionFacts, g: ReadingFacts, rows: VsRow[]): void {
	if (r.not_done_reason !== null) {
		rows.push(vsRow(r, { notDone: r.not_done_reason }, facts, g));
		return;
	}
	for (const { test, read } of TESTS) {
		const value = read(r);
		if (value !== null) rows.push(vsRow(r, { test, value }, facts, g));
	}
}

/** One session's readings, in time order, as VS rows added to `rows`. */
function sessionRows(
	readings: VsReading[],
	tp: Timepoints,
	seq: SequenceBySubject,
	rows: VsRow[] = []
): VsRow[] {
	const facts = sessionFacts(readings, tp, seq);
	for (const r of readings) readingRows(r, facts, readingFacts(r, facts), rows);
	return rows;
}

/**
 * The readings of VS a page at a time, each page as the sessions it completes (the baseline
 * needs a whole session's readings, so a session a page leaves open waits for the next), each
 * session with its study's timepoints.
 */
export async function* sessionPages(
	db: Executor,
	scope: ExportScope,
	protocolOf: ProtocolLookup
): AsyncGenerator<Array<{ readings: VsReading[]; tp: Timepoints }>> {
	const timepoints = timepointsOf(protocolOf);
	const pages = vsReadingPages(db, scope);
	let session: VsReading[] = [];
	for await (const page of pages) {
		const done: Array<{ readings: VsReading[]; tp: Timepoints }> = [];
		for (const reading of page) {
			const current = session[0];
			if (current && current.dosing_session_id !== reading.dosing_session_id) {
				done.push({ readings: session, tp: await timepoints(current.session.study_id) });
				session = [];
			}
			session.push(reading);
		}
		if (done.length > 0) yield done;
	}
	if (session[0]) {
		yield [{ readings: session, tp: await timepoints(session[0].session.study_id) }];
	}
}

/** VS rows a page at a time: the rows of every session a page of readings completes. */
export async function* vsBatches(
	db: Executor,
	scope: ExportScope,
	protocolOf: ProtocolLookup
): AsyncGenerator<VsRow[]> {
	const seq = new SequenceBySubject();
	for await (const sessions of sessionPages(db, scope, protocolOf)) {
		const rows: VsRow[] = [];
		for (const { readings, tp } of sessions) sessionRows(readings, tp, seq, rows);
		if (rows.length > 0) yield rows;
	}
}

/** VS rows one by one, in the order of vsBatches. */
export async function* vsRows(
	db: Executor,
	scope: ExportScope,
	protocolOf: ProtocolLookup
): AsyncGenerator<VsRow> {
	for await (const rows of vsBatches(db, scope, protocolOf)) yield* rows;
}

type VsColumn = VsRow extends SdtmRow<infer C> ? C : never;

/** The columns of VS in file order, as the text writer below writes them. */
const TEXT_ORDER = [
	'STUDYID',
	'DOMAIN',
	'USUBJID',
	'VSSEQ',
	'VSTESTCD',
	'VSTEST',
	'VSPOS',
	'VSORRES',
	'VSORRESU',
	'VSSTRESC',
	'VSSTRESN',
	'VSSTRESU',
	'VSSTAT',
	'VSREASND',
	'VSLOBXFL',
	'VISITNUM',
	'VISIT',
	'VSDTC',
	'VSDY',
	'VSTPT',
	'VSTPTNUM',
	'VSELTM',
	'VSTPTREF',
	'VSRFTDTC'
] as const;

const VS_COLUMNS = VS.variables.map((v) => v.name) as VsColumn[];
if (VS_COLUMNS.join() !== TEXT_ORDER.join()) {
	throw new Error('VS: the CSV text writer no longer follows the dataset definition');
}

/**
 * Text no cut can touch: a value of at most MAX_TEXT_BYTES / 3 UTF-16 units is within
 * MAX_TEXT_BYTES in UTF-8 (splitLongText's own first test).
 */
const short = (text: string | null) => text === null || text.length * 3 <= MAX_TEXT_BYTES;

/**
 * A number's text as VSSTRESC and VSORRES hold it (String, then as csvField writes text):
 * String(number) holds no comma, quote or line break, and of the characters a spreadsheet reads
 * as a formula it can start only with "-", so only then is the text looked at again.
 */
function numberField(text: string): string {
	return text.charCodeAt(0) === 45 ? textField(text) : text;
}

/** Each test's fixed fields (VSTESTCD, VSTEST) and its standard unit, as CSV text. */
const TEST_TEXT = VS_TESTS.map((test) => ({
	test,
	column: MEASURE_COLUMNS[test.measure],
	name: `${csvField(test.code)},${csvField(test.test)},`,
	unit: csvField(test.unit)
}));
const ALL_BYTES = Buffer.from(`${csvField(VS_ALL.code)},${csvField(VS_ALL.test)},`);
/** VSPOS of a reading not done, then its empty results, VSSTAT and the comma before VSREASND. */
const NOT_DONE_BYTES = Buffer.from(`,,,,,,${csvField('NOT DONE')},`);
const Y = csvField('Y');
/** VSTPT to VSRFTDTC of an unscheduled reading (no planned timepoint), after VSDY's comma. */
const UNPLANNED_END = Buffer.from(',,,,\r\n');

const COMMA = 44;

/** Pieces of text joined into one string (made once and kept, so its bytes are made once). */
const flat = (...pieces: Array<string | number>) => pieces.join('');

/**
 * The fields of a record that repeat across an export, as bytes made once: per test, VSTESTCD to
 * VSPOS for each position, and VSORRES to VSREASND for each value (in the standard unit, as most
 * are, or as entered: a temperature typed in °C or °F); per study and timepoint, VSTPT to VSELTM.
 */
class RepeatedBytes {
	readonly names = TEST_TEXT.map(() => new Map<string | null, Uint8Array>());
	readonly results = TEST_TEXT.map(() => new Map<number, Uint8Array>());
	/** By the unit typed, the value typed, then the value in the standard unit. */
	readonly originals = TEST_TEXT.map(() => new Map<string, Map<number, Map<number, Uint8Array>>>());
	readonly timepoints = new Map<Timepoints, Map<string, Map<number | null, Uint8Array>>>();

	/** VSTESTCD, VSTEST and VSPOS, each followed by its comma. */
	name(i: number, position: string | null): Uint8Array {
		let bytes = this.names[i]!.get(position);
		if (bytes === undefined) {
			bytes = Buffer.from(flat(TEST_TEXT[i]!.name, csvField(position), ','));
			this.names[i]!.set(position, bytes);
		}
		return bytes;
	}

	/** VSORRES to VSREASND of a value entered in the standard unit. */
	result(i: number, value: number): Uint8Array {
		let bytes = this.results[i]!.get(value);
		if (bytes === undefined) {
			bytes = Buffer.from(resultText(TEST_TEXT[i]!.unit, numberField(String(value)), value, null));
			this.results[i]!.set(value, bytes);
		}
		return bytes;
	}

	/** VSORRES to VSREASND of a temperature as typed (`typed` in `unit`; `value` in °C). */
	original(i: number, value: number, typed: number, unit: string): Uint8Array {
		let byUnit = this.originals[i]!.get(unit);
		if (byUnit === undefined) this.originals[i]!.set(unit, (byUnit = new Map()));
		let byTyped = byUnit.get(typed);
		if (byTyped === undefined) byUnit.set(typed, (byTyped = new Map()));
		let bytes = byTyped.get(value);
		if (bytes === undefined) {
			const text = resultText(TEST_TEXT[i]!.unit, numberField(String(value)), value, {
				value: numberField(String(typed)),
				unit: csvField(unit)
			});
			byTyped.set(value, (bytes = Buffer.from(text)));
		}
		return bytes;
	}

	/**
	 * VSTPT, VSTPTNUM and VSELTM of a planned reading, each followed by its comma: the study's
	 * timepoints and the label give the number, the minutes VSELTM.
	 */
	timepoint(tp: Timepoints, r: VsReading, g: ReadingFacts): Uint8Array {
		let byLabel = this.timepoints.get(tp);
		if (byLabel === undefined) this.timepoints.set(tp, (byLabel = new Map()));
		let byMinutes = byLabel.get(r.timepoint_label);
		if (byMinutes === undefined) byLabel.set(r.timepoint_label, (byMinutes = new Map()));
		let bytes = byMinutes.get(r.timepoint_minutes);
		if (bytes === undefined) {
			bytes = Buffer.from(timepointText(r.timepoint_label, g));
			byMinutes.set(r.timepoint_minutes, bytes);
		}
		return bytes;
	}
}

function timepointText(label: string, g: ReadingFacts): string {
	return flat(csvField(label), ',', csvField(g.tptnum), ',', csvField(g.eltm), ',');
}

/** VSORRES, VSORRESU, VSSTRESC, VSSTRESN, VSSTRESU, VSSTAT and VSREASND, each with its comma. */
function resultText(
	unit: string,
	stresc: string,
	value: number,
	original: { value: string; unit: string } | null
): string {
	return flat(
		original?.value ?? stresc,
		',',
		original?.unit ?? unit,
		',',
		stresc,
		',',
		csvField(value),
		',',
		unit,
		',,,'
	);
}

/**
 * One session's VS records written as CSV bytes, exactly as rowLine writes the rows of
 * sessionRows: the fields every record of the session or of a reading shares are written once
 * (a reading's later records copy its first one's end), the rest inline from the reading. A
 * reading with text that may be long enough to be cut is written through its rows (vsRow,
 * splitLongText, rowLine), as every reading was before.
 */
function sessionBytes(
	readings: VsReading[],
	tp: Timepoints,
	seq: SequenceBySubject,
	repeated: RepeatedBytes,
	w: ChunkWriter
): void {
	const f = sessionFacts(readings, tp, seq);
	const s = f.session;
	const sessionShort =
		short(s.study_code) && short(f.usubjid) && short(f.visit.VISIT) && short(tp.reference);
	const head = Buffer.from(
		flat(csvField(s.study_code), ',', csvField('VS'), ',', csvField(f.usubjid), ',')
	);
	const visit = Buffer.from(
		flat(',', csvField(f.visit.VISITNUM), ',', csvField(f.visit.VISIT), ',')
	);
	// VSTPTREF, VSRFTDTC and the line's end of a planned reading.
	const plannedEnd = Buffer.from(flat(csvField(tp.reference), ',', csvField(f.rftdtc), '\r\n'));
	const usubjid = f.usubjid;
	for (const r of readings) {
		const g = readingFacts(r, f);
		const planned = g.tptnum !== undefined;
		if (
			!sessionShort ||
			!short(r.position) ||
			!short(r.not_done_reason) ||
			!short(r.temperature_unit) ||
			!short(g.vsdtc) ||
			!short(g.eltm) ||
			(planned && !(short(r.timepoint_label) && short(f.rftdtc)))
		) {
			const rows: VsRow[] = [];
			readingRows(r, f, g, rows);
			for (const row of rows) w.text(rowLine(VS_COLUMNS, splitLongText(VS, row).row as VsRow));
			continue;
		}
		// VISITNUM to VSRFTDTC and the line's end: written after the reading's first record, and
		// copied from there after the others (the writer keeps what it has not handed on).
		let tailStart = -1;
		let tailEnd = -1;
		const tail = () => {
			if (tailStart >= 0) return w.again(tailStart, tailEnd);
			tailStart = w.at;
			w.bytes(visit);
			w.text(csvField(g.vsdtc));
			w.byte(COMMA);
			w.text(csvField(g.vsdy));
			w.byte(COMMA);
			if (planned) {
				w.bytes(repeated.timepoint(tp, r, g));
				w.bytes(plannedEnd);
			} else {
				w.bytes(UNPLANNED_END);
			}
			tailEnd = w.at;
		};
		if (r.not_done_reason !== null) {
			w.bytes(head);
			w.digits(seq.next(usubjid));
			w.byte(COMMA);
			w.bytes(ALL_BYTES);
			w.text(csvField(r.position));
			w.bytes(NOT_DONE_BYTES);
			w.text(csvField(r.not_done_reason));
			w.byte(COMMA);
			tail();
			continue;
		}
		for (let i = 0; i < TEST_TEXT.length; i++) {
			const t = TEST_TEXT[i]!;
			const value = r[t.column];
			if (value === null) continue;
			w.bytes(head);
			w.digits(seq.next(usubjid));
			w.byte(COMMA);
			w.bytes(repeated.name(i, r.position));
			w.bytes(
				t.test.measure === 'temperature' &&
					r.temperature_value !== null &&
					r.temperature_unit !== null
					? repeated.original(i, value, r.temperature_value, r.temperature_unit)
					: repeated.result(i, value)
			);
			if (f.lastBeforeExposure.get(t.test.measure) === r.id) w.text(Y);
			tail();
		}
	}
}

/**
 * VS as a CSV file (its header, then its records), a page of readings at a time, as bytes about a
 * read chunk at a time: the same bytes as csvChunks writes from vsBatches, without a row object,
 * a string or an array per record (most of the export's time and its garbage collection).
 */
export async function* vsCsvChunks(
	db: Executor,
	scope: ExportScope,
	protocolOf: ProtocolLookup
): AsyncGenerator<Uint8Array> {
	const seq = new SequenceBySubject();
	const repeated = new RepeatedBytes();
	const w = new ChunkWriter();
	w.text(csvLine(VS_COLUMNS));
	for await (const sessions of sessionPages(db, scope, protocolOf)) {
		for (const { readings, tp } of sessions) {
			sessionBytes(readings, tp, seq, repeated, w);
			if (w.full) yield w.take();
		}
	}
	if (w.at > 0) yield w.take();
}
