// SDV progress as a summary (issue 10): sdv_record_status holds one row per standing record the
// active protocol asks to verify, with its fields' counts and its status as the worksheet computes
// them (./sdv-status.ts, recordView: the same code, so progress and worksheet cannot disagree).
// Every write that can move a row keeps it in its own transaction:
// - a record of an SDV type created, corrected or entered in error (its values, version, the
//   serious flag or the scale that make it required), and an SDV mark: `keepRecordSdv`;
// - a protocol version activated whose SDV settings differ from the last one's: the study's rows
//   are rebuilt in the activation's transaction (`rebuildSdvStatus`), so progress follows the
//   new settings at once; an activation with the same settings leaves them.
// Its site level, sdv_site_cell (the sums the page and the API show per site), moves with each
// row by the row's difference (`siteCellDeltas`) and is recounted with a rebuild.
// `rebuildSdvStatus(db, 'all')` recomputes everything: the migration's backfill (pending_backfill,
// at the next start-up), a bulk load, and the property test's oracle.
import {
	sdvRequired,
	sdvRequirement,
	sdvTypeRequirable,
	type SdvRecord,
	type SdvSettings
} from '../../../domain/monitoring/sdv';
import type { Executor } from '../../db';
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
	const COUNTERS = [
		'records',
		'records_verified',
		'field_count',
		'fields_verified',
		'fields_changed'
	] as const;
	return [...cells.values()].filter((c) => COUNTERS.some((k) => c[k] !== 0));
}

/**
 * After a protocol version is activated, in its transaction: the study's rows follow the new SDV
 * settings. `before`: the settings of the version it replaced (null: none was active). Settings
 * compared as parsed JSON: equal settings require and count the same records the same way.
 */
export async function followSdvSettings(
	trx: Executor,
	studyId: number,
	before: SdvSettings | null
): Promise<void> {
	const after = await sdvSettings(trx, studyId);
	if (before && JSON.stringify(before) === JSON.stringify(after)) return;
	await rebuildSdvStatus(trx, studyId);
}

/**
 * The rows of a study's records of one type. Without marks every field is pending whatever its
 * value, so an unmarked record's row is the type's (its counts from the first such record, by the
 * same statusRow) with its own ids, and only the records with marks are read with their values
 * (at the trial tier, 1.2 M records and their values otherwise).
 */
async function typeRows(
	db: Executor,
	studyId: number,
	type: SdvType,
	settings: SdvSettings,
	required: (record: SdvRecord) => boolean,
	marks: Map<string, SourceVerification[]>
): Promise<repo.SdvStatusRow[]> {
	const rows: repo.SdvStatusRow[] = [];
	let unmarked: repo.SdvStatusRow | null = null;
	for (const h of await sv.sdvHeads(db, studyId, type)) {
		const record = {
			type,
			id: h.entity_id,
			serious: h.serious === 1,
			instrument: h.instrument ?? undefined
		};
		if (!required(record)) continue;
		const own = marks.get(`${type}:${h.entity_id}`);
		if (own) {
			const [c] = await sv.sdvCandidates(db, { siteIds: 'all', record });
			const row = statusRow(c!, settings, own);
			if (row) rows.push(row);
			continue;
		}
		const place = {
			entity_id: h.entity_id,
			study_id: studyId,
			site_id: h.site_id,
			participant_id: h.participant_id
		};
		if (!unmarked) {
			const [c] = await sv.sdvCandidates(db, { siteIds: 'all', record, withValues: false });
			unmarked = statusRow(c!, settings, []);
			if (!unmarked) throw new Error('A required record has a row');
		}
		rows.push({ ...unmarked, ...place });
	}
	return rows;
}

/**
 * Every row of a study (a protocol version with other SDV settings activated), or of every study
 * with an active protocol: only the record types the settings can require are read, and each
 * record's marks once.
 */
export async function rebuildSdvStatus(db: Executor, studyId: number | 'all'): Promise<void> {
	await repo.deleteStatuses(db, studyId);
	const studies: number[] = [];
	for (const s of studyId === 'all' ? await studiesRepo.listStudies(db) : [{ id: studyId }]) {
		if (await studiesRepo.findActiveProtocol(db, s.id)) studies.push(s.id);
	}
	if (studies.length === 0) return repo.rebuildSiteCells(db, studyId);
	const marks = new Map<string, SourceVerification[]>();
	for (const r of await sv.verificationsAt(db, 'all')) {
		const key = `${r.entity_type}:${r.entity_id}`;
		const list = marks.get(key);
		if (list) list.push(r);
		else marks.set(key, [r]);
	}
	for (const id of studies) {
		const settings = await sdvSettings(db, id);
		const required = sdvRequirement(settings);
		for (const type of sv.SDV_TYPES.filter((t) => sdvTypeRequirable(settings, t))) {
			await repo.insertStatuses(db, await typeRows(db, id, type, settings, required, marks));
		}
	}
	await repo.rebuildSiteCells(db, studyId);
}
