// SDV progress as a summary (issue 10): sdv_record_status holds one row per standing record the
// active protocol asks to verify, with its fields' counts and its status as the worksheet computes
// them (./sdv-status.ts, recordView: the same code, so progress and worksheet cannot disagree).
// Every write that can move a row keeps it in its own transaction:
// - a record of an SDV type created, corrected or entered in error (its values, version, the
//   serious flag or the scale that make it required), and an SDV mark: `keepRecordSdv`;
// - a protocol version activated whose SDV settings differ from the last one's: the activation
//   records that the study's rows are owed (sdv_rebuild), and after commit they are rebuilt a
//   window of records at a time, each window its own short write transaction (`sdvRebuildStep`;
//   at the trial tier the rebuild in the activation's transaction held the writer 9 s). Until the
//   rebuild is done, progress for that study is computed from the records (./sdv-progress.ts), so
//   it follows the new settings at once; a process stopped mid-rebuild resumes it at start-up
//   (`resumeSdvRebuilds`). An activation with the same settings leaves the rows.
// Its site level, sdv_site_cell (the sums the page and the API show per site), moves with each
// row by the row's difference (`siteCellDeltas`) and is recounted with a rebuild.
// `rebuildSdvStatus(db, 'all')` recomputes everything in one transaction: the migration's backfill
// (pending_backfill, at the next start-up), a bulk load, and the property test's oracle.
import {
	sdvRequired,
	sdvRequirement,
	sdvTypeRequirable,
	type SdvRecord,
	type SdvSettings
} from '../../../domain/monitoring/sdv';
import type { Db, Executor } from '../../db';
import { writeTransaction } from '../../db/transaction';
import type { SourceVerification } from '../../db/schema';
import * as repo from '../../repositories/sdv-summary';
import * as sv from '../../repositories/source-verification';
import type { SdvCandidate, SdvType } from '../../repositories/source-verification';
import * as studiesRepo from '../../repositories/studies';
import { recordView, sdvRecordOf, sdvSettings } from './sdv-status';

/** The record's row: null when the protocol does not ask for it to be verified. */
function statusRow(
	c: SdvCandidate,
	settings: SdvSettings,
	marks: SourceVerification[]
): repo.SdvStatusRow | null {
	if (!sdvRequired(settings, sdvRecordOf(c))) return null;
	const r = recordView(c, settings, marks);
	// A required record is pending, verified or changed (recordSdvStatus), never 'not-required'.
	if (r.status === 'not-required') throw new Error('A required record cannot be not-required');
	return {
		entity_type: c.entity_type,
		entity_id: c.entity_id,
		study_id: c.study_id,
		site_id: c.site_id,
		participant_id: c.participant_id,
		field_count: r.fieldCount,
		fields_verified: r.fieldsVerified,
		fields_changed: r.fieldsChanged,
		status: r.status
	};
}

/**
 * Recomputes one record's row, inside the write's transaction, after the write, and moves its
 * site's cell by what the row gave before and gives after. `settings`: the study's active SDV
 * settings when the caller has them at hand (a vitals save): a record of a type they can never
 * require has no row, so the write costs nothing more.
 */
export async function keepRecordSdv(
	trx: Executor,
	record: { type: SdvType; id: number },
	settings?: SdvSettings
): Promise<void> {
	if (settings && !sdvTypeRequirable(settings, record.type)) return;
	const before = await repo.deleteRecordStatus(trx, record);
	const after = await recordRow(trx, record, settings);
	if (after) await repo.insertStatuses(trx, [after]);
	await repo.addToSiteCells(trx, siteCellDeltas(before, after));
}

/** The record's row as it stands, or null (entered in error; not required). */
async function recordRow(
	trx: Executor,
	record: { type: SdvType; id: number },
	settings: SdvSettings | undefined
): Promise<repo.SdvStatusRow | null> {
	const [c] = await sv.sdvCandidates(trx, { siteIds: 'all', record });
	// Entered in error (or its participant): no longer verified or counted.
	if (!c) return null;
	const active = settings ?? (await sdvSettings(trx, c.study_id));
	if (!sdvRequired(active, sdvRecordOf(c))) return null;
	return statusRow(c, active, await sv.verificationsOf(trx, record.type, record.id));
}

const cellOf = (r: repo.SdvStatusRow, sign: 1 | -1): repo.SdvSiteCell => ({
	study_id: r.study_id,
	site_id: r.site_id,
	records: sign,
	records_verified: r.status === 'verified' ? sign : 0,
	field_count: sign * r.field_count,
	fields_verified: sign * r.fields_verified,
	fields_changed: sign * r.fields_changed
});

const COUNTERS = [
	'records',
	'records_verified',
	'field_count',
	'fields_verified',
	'fields_changed'
] as const;

/**
 * What a record's row moving from `before` to `after` adds to the site cells: nothing when it
 * counts the same in the same cell (most saves), one cell's difference, or one cell less and one
 * more (a study or site that changed). One delta a cell: an upsert may touch a key once.
 */
export function siteCellDeltas(
	before: repo.SdvStatusRow | null | undefined,
	after: repo.SdvStatusRow | null | undefined
): repo.SdvSiteCell[] {
	const cells = new Map<string, repo.SdvSiteCell>();
	for (const d of [...(before ? [cellOf(before, -1)] : []), ...(after ? [cellOf(after, 1)] : [])]) {
		const key = `${d.study_id}:${d.site_id}`;
		const had = cells.get(key);
		cells.set(
			key,
			had
				? {
						...had,
						records: had.records + d.records,
						records_verified: had.records_verified + d.records_verified,
						field_count: had.field_count + d.field_count,
						fields_verified: had.fields_verified + d.fields_verified,
						fields_changed: had.fields_changed + d.fields_changed
					}
				: d
		);
	}
	return [...cells.values()].filter((c) => COUNTERS.some((k) => c[k] !== 0));
}

/**
 * How many ids of one record type a window of a rebuild after commit takes: each window is one
 * write transaction, so this bounds how long a save can wait behind the rebuild (about 20–40 ms
 * of CPU at the trial tier, measured with scripts/bench/activation-cost.ts).
 */
export const SDV_REBUILD_WINDOW = 4000;

/**
 * After a protocol version is activated, in its transaction: when the study's SDV settings differ
 * from those of the version it replaced (`before`; null: none was active), the study's rebuild
 * starts (again, if one was under way) at its first record. True: a rebuild is owed, to be run
 * after commit (continueSdvRebuild). Settings compared as parsed JSON: equal settings require and
 * count the same records the same way.
 */
export async function followSdvSettings(
	trx: Executor,
	studyId: number,
	before: SdvSettings | null
): Promise<boolean> {
	const after = await sdvSettings(trx, studyId);
	if (before && JSON.stringify(before) === JSON.stringify(after)) return false;
	await repo.setRebuildState(trx, { study_id: studyId, entity_type: FIRST_TYPE, after_id: 0 });
	return true;
}

const FIRST_TYPE = sv.SDV_TYPES[0]!;

/** A record head as the protocol's classes see it. */
const recordOfHead = (type: SdvType, h: sv.SdvHead): SdvRecord => ({
	type,
	id: h.entity_id,
	serious: h.serious === 1,
	instrument: h.instrument ?? undefined
});

/**
 * The rows of a study's records of one type in an id window, under these settings: the required
 * records with marks, their rows computed from their values and marks; and the required records
 * without marks, whose rows are all alike (without marks every field is pending whatever its
 * value): `unmarked`'s counts (from the first such record, by the same statusRow) with each
 * record's own ids. Only the marked records are read with their values.
 */
async function windowPlan(
	db: Executor,
	studyId: number,
	type: SdvType,
	settings: SdvSettings,
	required: (record: SdvRecord) => boolean,
	range: sv.IdWindow
): Promise<{
	marked: repo.SdvStatusRow[];
	heads: sv.SdvHead[];
	unmarked: repo.SdvStatusRow | null;
}> {
	const all = (await sv.sdvHeads(db, studyId, type, range)).filter((h) =>
		required(recordOfHead(type, h))
	);
	if (all.length === 0) return { marked: [], heads: [], unmarked: null };
	const marks = new Map<number, SourceVerification[]>();
	for (const m of await sv.verificationsInWindow(db, type, range)) {
		const list = marks.get(m.entity_id);
		if (list) list.push(m);
		else marks.set(m.entity_id, [m]);
	}
	const ids = all.filter((h) => marks.has(h.entity_id)).map((h) => h.entity_id);
	const withValues = new Map(
		(ids.length > 0 ? await sv.sdvCandidates(db, { siteIds: 'all', types: [type], ids }) : []).map(
			(c) => [c.entity_id, c]
		)
	);
	const marked: repo.SdvStatusRow[] = [];
	const heads: sv.SdvHead[] = [];
	for (const h of all) {
		const own = marks.get(h.entity_id);
		const c = withValues.get(h.entity_id);
		if (own && c) {
			const row = statusRow(c, settings, own);
			if (row) marked.push(row);
		} else heads.push(h);
	}
	const h = heads[0];
	const unmarked = h
		? statusRow(
				{
					entity_type: type,
					entity_id: h.entity_id,
					study_id: studyId,
					site_id: h.site_id,
					participant_id: h.participant_id,
					subject_code: '',
					site_code: '',
					version: 0,
					serious: h.serious,
					instrument: h.instrument,
					session_id: null,
					values: {}
				},
				settings,
				[]
			)
		: null;
	if (h && !unmarked) throw new Error('A required record has a row');
	return { marked, heads, unmarked };
}

/** windowPlan's rows, each one written out. */
async function windowRows(
	db: Executor,
	studyId: number,
	type: SdvType,
	settings: SdvSettings,
	required: (record: SdvRecord) => boolean,
	range: sv.IdWindow
): Promise<repo.SdvStatusRow[]> {
	const plan = await windowPlan(db, studyId, type, settings, required, range);
	const rows = plan.marked;
	for (const h of plan.heads) {
		rows.push({
			...plan.unmarked!,
			entity_id: h.entity_id,
			study_id: studyId,
			site_id: h.site_id,
			participant_id: h.participant_id
		});
	}
	return rows;
}

/**
 * Inserts windowPlan's rows: the marked ones as computed, the unmarked ones by the database from
 * their records (INSERT … SELECT of their ids), not row by row from here.
 */
async function insertWindow(
	db: Executor,
	studyId: number,
	type: SdvType,
	settings: SdvSettings,
	required: (record: SdvRecord) => boolean,
	range: sv.IdWindow
): Promise<void> {
	const plan = await windowPlan(db, studyId, type, settings, required, range);
	await repo.insertStatuses(db, plan.marked);
	if (plan.unmarked) {
		await repo.insertAlike(db, {
			type,
			studyId,
			row: plan.unmarked,
			ids: plan.heads.map((h) => h.entity_id)
		});
	}
}

/**
 * The rows a study's records give under its active settings from where its rebuild stands on (the
 * rows it has not done yet), computed from the records (none written), a window at a time; at one
 * site, or every site. What progress reads while the study's rebuild is under way
 * (./sdv-progress.ts), beside the rows the rebuild has done.
 */
export async function eachRowNotRebuilt(
	db: Executor,
	state: repo.SdvRebuild,
	siteId: number | undefined,
	take: (row: repo.SdvStatusRow) => void
): Promise<void> {
	const studyId = state.study_id;
	if (!(await studiesRepo.findActiveProtocol(db, studyId))) return;
	const settings = await sdvSettings(db, studyId);
	const required = sdvRequirement(settings);
	const types = sv.SDV_TYPES.slice(sv.SDV_TYPES.indexOf(state.entity_type));
	for (const type of types.filter((t) => sdvTypeRequirable(settings, t))) {
		const last = await repo.lastIdOf(db, type, { records: true, rows: false });
		const from = type === state.entity_type ? state.after_id : 0;
		for (let after = from; after < last; after += READ_WINDOW) {
			const range = { after, upTo: after + READ_WINDOW, siteId };
			for (const row of await windowRows(db, studyId, type, settings, required, range)) take(row);
		}
	}
}

/** Ids a read of rows not rebuilt yet takes at once (memory, not the writer). */
const READ_WINDOW = 50_000;

/** What the cells move by when a window's rows summed `before` sum `after` (per study and site). */
function cellDifference(
	before: readonly repo.SdvSiteCell[],
	after: readonly repo.SdvSiteCell[]
): repo.SdvSiteCell[] {
	const cells = new Map<string, repo.SdvSiteCell>();
	const add = (d: repo.SdvSiteCell, sign: 1 | -1) => {
		const key = `${d.study_id}:${d.site_id}`;
		const had = cells.get(key) ?? { ...d, ...ZERO };
		cells.set(key, {
			...had,
			records: had.records + sign * Number(d.records),
			records_verified: had.records_verified + sign * Number(d.records_verified),
			field_count: had.field_count + sign * Number(d.field_count),
			fields_verified: had.fields_verified + sign * Number(d.fields_verified),
			fields_changed: had.fields_changed + sign * Number(d.fields_changed)
		});
	};
	for (const b of before) add(b, -1);
	for (const a of after) add(a, 1);
	return [...cells.values()].filter((c) => COUNTERS.some((k) => c[k] !== 0));
}

const ZERO = {
	records: 0,
	records_verified: 0,
	field_count: 0,
	fields_verified: 0,
	fields_changed: 0
};

/**
 * One window of a study's rebuild, in its own write transaction: the rows of the records of the
 * type it stands at with ids in the next window are replaced with what the active settings give,
 * their site cells moved by the difference, and the rebuild moved on (to the next type, or done).
 * A write between two windows keeps its own record's row under the active settings as always
 * (keepRecordSdv), so the rows and cells stay whole. False: nothing left to do.
 */
export async function sdvRebuildStep(
	db: Db,
	studyId: number,
	window = SDV_REBUILD_WINDOW
): Promise<boolean> {
	return writeTransaction(db, async (trx) => {
		const state = await repo.rebuildState(trx, studyId);
		if (!state) return false;
		if (!(await studiesRepo.findActiveProtocol(trx, studyId))) {
			await rebuildSdvStatus(trx, studyId);
			return false;
		}
		const settings = await sdvSettings(trx, studyId);
		const type = state.entity_type;
		const requirable = sdvTypeRequirable(settings, type);
		const w = { studyId, type, after: state.after_id, upTo: state.after_id + window };
		const before = await repo.windowCells(trx, w);
		await repo.deleteWindow(trx, w);
		if (requirable) {
			await insertWindow(trx, studyId, type, settings, sdvRequirement(settings), w);
		}
		await repo.addToSiteCells(trx, cellDifference(before, await repo.windowCells(trx, w)));
		// A type the settings cannot require has only rows to delete.
		if (w.upTo < (await repo.lastIdOf(trx, type, { records: requirable, rows: true }))) {
			await repo.setRebuildState(trx, { study_id: studyId, entity_type: type, after_id: w.upTo });
			return true;
		}
		const next = sv.SDV_TYPES[sv.SDV_TYPES.indexOf(type) + 1];
		if (next) {
			await repo.setRebuildState(trx, { study_id: studyId, entity_type: next, after_id: 0 });
			return true;
		}
		await repo.clearRebuildState(trx, studyId);
		return false;
	});
}

/**
 * Runs the study's rebuild to its end, a window a transaction, letting the writes waiting for the
 * writer in between. Another activation meanwhile starts it again; each window reads where it
 * stands, so two of these over one study share the work.
 */
export async function continueSdvRebuild(
	db: Db,
	studyId: number,
	window = SDV_REBUILD_WINDOW
): Promise<void> {
	while (await sdvRebuildStep(db, studyId, window)) {
		await new Promise((resolve) => setImmediate(resolve));
	}
}

/** Every rebuild left under way (a process stopped mid-rebuild), run to its end: at start-up. */
export async function resumeSdvRebuilds(db: Db): Promise<number[]> {
	const studies = (await repo.rebuilds(db)).map((r) => r.study_id);
	for (const id of studies) await continueSdvRebuild(db, id);
	return studies;
}

/**
 * Every row of a study, or of every study with an active protocol, in one go (the caller's
 * transaction): the migration's backfill, a bulk load, a rebuild of every summary, and the
 * property test's oracle. Only the record types the settings can require are read, and only the
 * marked records' values. A rebuild under way for those studies is done with it.
 */
export async function rebuildSdvStatus(db: Executor, studyId: number | 'all'): Promise<void> {
	await repo.deleteStatuses(db, studyId);
	await repo.clearRebuildState(db, studyId);
	const studies: number[] = [];
	for (const s of studyId === 'all' ? await studiesRepo.listStudies(db) : [{ id: studyId }]) {
		if (await studiesRepo.findActiveProtocol(db, s.id)) studies.push(s.id);
	}
	for (const id of studies) {
		const settings = await sdvSettings(db, id);
		const required = sdvRequirement(settings);
		for (const type of sv.SDV_TYPES.filter((t) => sdvTypeRequirable(settings, t))) {
			await insertWindow(db, id, type, settings, required, { after: 0, upTo: null });
		}
	}
	await repo.rebuildSiteCells(db, studyId);
}
