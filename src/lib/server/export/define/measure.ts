// define.xml states each variable's length as the data have it, so the rows are measured (the XPT
// writer measures the same rows the same way: ColumnStats). Each subject domain is read once with
// its SUPP-- dataset (the parts of its long text and its qualifiers come from the same records), a
// page at a time, and each part of the document is sent as soon as what it says is known.
import { ColumnStats, utf8Length, type SdtmRow } from '../../../domain/sdtm';
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

/** One dataset's measure, row by row. */
class Measure {
	readonly stats: ColumnStats;
	readonly #qualifiers: Set<string>;
	readonly qualifierLengths = new Map<string, number>();

	constructor(readonly dataset: SdtmDataset) {
		this.stats = new ColumnStats(dataset.spec);
		this.#qualifiers = new Set((dataset.spec.qualifiers ?? []).map((q) => q.name));
	}

	add(row: SdtmRow): void {
		this.stats.add(row);
		if (this.#qualifiers.size === 0) return;
		const qnam = String(row.QNAM ?? '');
		if (this.#qualifiers.has(qnam)) {
			const bytes = utf8Length(String(row.QVAL ?? ''));
			this.qualifierLengths.set(qnam, Math.max(this.qualifierLengths.get(qnam) ?? 1, bytes));
		}
	}

	result(): DefineDataset {
		const { spec } = this.dataset;
		return {
			spec,
			stats: this.stats.byName(),
			rows: this.stats.rows,
			qualifierLengths: this.qualifierLengths
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
