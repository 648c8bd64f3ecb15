// define.xml states each variable's length as the data have it, so the rows are measured (the XPT
// writer measures the same rows the same way: ColumnStats). Each subject domain is read once with
// its SUPP-- dataset (the parts of its long text and its qualifiers come from the same records), a
// page at a time, and each part of the document is sent as soon as what it says is known.
import { ColumnStats, utf8Length, type DatasetSpec, type SdtmRow } from '../../../domain/sdtm';
import type { Executor } from '../../db';
import type { ExportScope } from '../pages';
import type { ProtocolLookup } from '../protocols';
import { SDTM_DATASETS, SDTM_PAIRS, type SdtmDataset, type SplitRecord } from '../sdtm/datasets';
import type { Markup } from '../xml';
import { FLUSH } from '../stream';
import {
	defineItems,
	defineOpening,
	groupNeedsRows,
	itemGroup,
	type DefineDataset,
	type DefineStudy
} from './define-xml';

/**
 * The longest QVAL of each qualifier a SUPP-- dataset declares (DVIMPT, DVRULE): the lengths of
 * QVAL's value-level metadata. Measured here for define.xml alone and, in the auditor bundle, on
 * the rows the XPT writer writes, so both documents say the same.
 */
export class QualifierLengths {
	readonly #names: Set<string>;
	readonly lengths = new Map<string, number>();

	constructor(spec: DatasetSpec) {
		this.#names = new Set((spec.qualifiers ?? []).map((q) => q.name));
	}

	/** Whether the dataset declares any qualifier (else there is nothing to measure). */
	get declared(): boolean {
		return this.#names.size > 0;
	}

	add(row: SdtmRow): void {
		if (this.#names.size === 0) return;
		const qnam = String(row.QNAM ?? '');
		if (this.#names.has(qnam)) {
			const bytes = utf8Length(String(row.QVAL ?? ''));
			this.lengths.set(qnam, Math.max(this.lengths.get(qnam) ?? 1, bytes));
		}
	}

	/** The rows (or pages of rows) as they pass, measured. */
	async *through<T extends SdtmRow | readonly SdtmRow[]>(
		rows: AsyncIterable<T>
	): AsyncGenerator<T> {
		for await (const item of rows) {
			if (Array.isArray(item)) for (const row of item as readonly SdtmRow[]) this.add(row);
			else this.add(item as SdtmRow);
			yield item;
		}
	}
}

/** One dataset's measure, row by row. */
class Measure {
	readonly stats: ColumnStats;
	readonly qualifiers: QualifierLengths;

	constructor(readonly dataset: SdtmDataset) {
		this.stats = new ColumnStats(dataset.spec);
		this.qualifiers = new QualifierLengths(dataset.spec);
	}

	add(row: SdtmRow): void {
		this.stats.add(row);
		this.qualifiers.add(row);
	}

	result(): DefineDataset {
		const { spec } = this.dataset;
		return {
			spec,
			stats: this.stats.byName(),
			rows: this.stats.rows,
			qualifierLengths: this.qualifiers.lengths
		};
	}
}

function addRecord(parent: Measure, supp: Measure, r: SplitRecord) {
	parent.add(r.row);
	for (const s of r.supp) supp.add(s);
}

/**
 * Each dataset measured, a subject domain together with its SUPP-- (one read of their records),
 * in SDTM_PAIRS order, then those without a SUPP-- (TV): yielded as each is done.
 */
async function* measuring(
	db: Executor,
	scope: ExportScope,
	protocolOf: ProtocolLookup
): AsyncGenerator<Measure[]> {
	const done = new Set<SdtmDataset>();
	for (const pair of SDTM_PAIRS) {
		const parent = new Measure(pair.parent);
		const supp = new Measure(pair.supp);
		for await (const item of pair.records(db, scope, protocolOf)) {
			if (Array.isArray(item)) {
				for (const r of item as readonly SplitRecord[]) addRecord(parent, supp, r);
			} else addRecord(parent, supp, item as SplitRecord);
		}
		done.add(pair.parent).add(pair.supp);
		yield [parent, supp];
	}
	for (const dataset of Object.values(SDTM_DATASETS)) {
		if (done.has(dataset)) continue;
		// A dataset without a SUPP-- (TV): read on its own.
		const measure = new Measure(dataset);
		for await (const row of dataset.rows(db, scope, protocolOf)) measure.add(row);
		yield [measure];
	}
}

export async function measuredDatasets(
	db: Executor,
	scope: ExportScope,
	protocolOf: ProtocolLookup
): Promise<DefineDataset[]> {
	const measured = new Map<SdtmDataset, DefineDataset>();
	for await (const measures of measuring(db, scope, protocolOf)) {
		for (const m of measures) measured.set(m.dataset, m.result());
	}
	return Object.values(SDTM_DATASETS).map((d) => measured.get(d)!);
}

/**
 * define.xml for the datasets of this scope, as the download writes it. What no row decides goes
 * first (the standards, value lists and where clauses, and the ItemGroupDef of every dataset but
 * the SUPP--), then each SUPP--'s as soon as its domain is measured, then the variables with their
 * measured lengths: the same bytes as defineXml, sent as they become known, each part flushed
 * (FLUSH) so a client sees it while the next domain is read.
 */
export async function* defineDocument(
	db: Executor,
	scope: ExportScope,
	study: DefineStudy,
	createdAt: Date,
	protocolOf: ProtocolLookup
): AsyncGenerator<string | Uint8Array> {
	const datasets = Object.values(SDTM_DATASETS);
	yield defineOpening(
		study,
		datasets.map((d) => d.spec),
		createdAt
	);
	const measured = new Map<SdtmDataset, DefineDataset>();
	let written = 0;
	/** The ItemGroupDefs that can be written now, in order. */
	function* groups(): Generator<Markup> {
		for (; written < datasets.length; written++) {
			const d = datasets[written]!;
			const m = measured.get(d);
			if (m) yield itemGroup(m);
			else if (!groupNeedsRows(d.spec)) yield itemGroup({ spec: d.spec, stats: new Map() });
			else return;
		}
	}
	yield* groups();
	yield FLUSH;
	for await (const measures of measuring(db, scope, protocolOf)) {
		for (const m of measures) measured.set(m.dataset, m.result());
		yield* groups();
		yield FLUSH;
	}
	yield* groups();
	yield defineItems(datasets.map((d) => measured.get(d)!));
}
