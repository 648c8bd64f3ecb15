// define.xml states each variable's length as the data have it, so the rows are measured (the XPT
// writer measures the same rows the same way: ColumnStats). Each subject domain is read once with
// its SUPP-- dataset (the parts of its long text and its qualifiers come from the same records), a
// page at a time, and the part of the document that needs no data is sent before the first read.
import { ColumnStats, utf8Length, type SdtmRow } from '../../../domain/sdtm';
import type { Executor } from '../../db';
import type { ExportScope } from '../pages';
import type { ProtocolLookup } from '../protocols';
import { SDTM_DATASETS, SDTM_PAIRS, type SdtmDataset, type SplitRecord } from '../sdtm/datasets';
import { defineClosing, defineOpening, type DefineDataset, type DefineStudy } from './define-xml';

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

export async function measuredDatasets(
	db: Executor,
	scope: ExportScope,
	protocolOf: ProtocolLookup
): Promise<DefineDataset[]> {
	const measures = new Map<SdtmDataset, Measure>();
	for (const pair of SDTM_PAIRS) {
		const parent = new Measure(pair.parent);
		const supp = new Measure(pair.supp);
		for await (const item of pair.records(db, scope, protocolOf)) {
			if (Array.isArray(item)) {
				for (const r of item as readonly SplitRecord[]) addRecord(parent, supp, r);
			} else addRecord(parent, supp, item as SplitRecord);
		}
		measures.set(pair.parent, parent).set(pair.supp, supp);
	}
	const out: DefineDataset[] = [];
	for (const dataset of Object.values(SDTM_DATASETS)) {
		let measure = measures.get(dataset);
		if (!measure) {
			// A dataset without a SUPP-- (TV): read on its own.
			measure = new Measure(dataset);
			for await (const row of dataset.rows(db, scope, protocolOf)) measure.add(row);
		}
		out.push(measure.result());
	}
	return out;
}

/** define.xml for the datasets of this scope, as the download and the bundle write it. */
export async function* defineDocument(
	db: Executor,
	scope: ExportScope,
	study: DefineStudy,
	createdAt: Date,
	protocolOf: ProtocolLookup
): AsyncGenerator<string> {
	const specs = Object.values(SDTM_DATASETS).map((d) => d.spec);
	yield defineOpening(study, specs, createdAt);
	yield defineClosing(await measuredDatasets(db, scope, protocolOf));
}
