// Every SDTM dataset Vigil writes: its definition (the one source of truth for the CSV, XPT and
// define.xml writers), its rows and its row count, in the order a submission lists them. Text over
// 200 bytes is cut here, once for every writer: the parent keeps the first part and the domain's
// SUPP-- dataset the rest (SDTMIG v3.4 §4.5.3.2), so no file breaks and no text is lost.
import {
	AE,
	CM,
	DM,
	DS,
	DV,
	EX,
	QS,
	splitLongText,
	suppSpec,
	SV,
	TV,
	VS,
	DV_QUALIFIERS,
	type DatasetSpec,
	type SdtmRow,
	type SuppRow,
	type VariableSpec
} from '../../../domain/sdtm';
import type { Executor } from '../../db';
import type { SdtmDomain } from '../filters';
import type { ExportScope } from '../pages';
import type { ProtocolLookup } from '../protocols';
import { aeRows, countAe } from './ae';
import { cmRows, countCm } from './cm';
import { countDm, dmRows } from './dm';
import { countDs, dsRows } from './ds';
import { countDv, dvRecords, dvRows } from './dv';
import { countEx, exRows } from './ex';
import { countQs, qsRows } from './qs';
import { countSv, svRows } from './sv';
import { countTv, tvRows } from './tv';
import { countVs, vsBatches, vsCsvChunks, vsRows } from './vs';

type Rows = (
	db: Executor,
	scope: ExportScope,
	protocolOf: ProtocolLookup
) => AsyncIterable<SdtmRow>;

/** The same rows as Rows, a page at a time (one step of the iteration per page, not per row). */
type Batches = (
	db: Executor,
	scope: ExportScope,
	protocolOf: ProtocolLookup
) => AsyncIterable<SdtmRow[]>;

export interface SdtmDataset {
	spec: DatasetSpec;
	/** The protocol lookup is for the writers that need the study's timepoints (VS). */
	rows: Rows;
	/** The rows a page at a time, where the dataset reads them so (the large ones). */
	batches?: Batches;
	/**
	 * The CSV file (header and records) as bytes, where the dataset writes them so: the same bytes
	 * as csvChunks writes from `rows` (VS, the largest dataset).
	 */
	csvFile?: (
		db: Executor,
		scope: ExportScope,
		protocolOf: ProtocolLookup
	) => AsyncIterable<Uint8Array>;
	/** TV and the SUPP-- datasets read the protocol too, so they need the lookup. */
	count: (db: Executor, scope: ExportScope, protocolOf?: ProtocolLookup) => Promise<number>;
}

/** A parent row as its file holds it, with the SUPP-- rows it gives. */
export interface SplitRecord {
	row: SdtmRow;
	supp: readonly SdtmRow[];
}

/**
 * A subject domain and its SUPP-- dataset read together, one pass over the parent's records a
 * page at a time: what define.xml measures (reading each SUPP-- on its own reads its parent again).
 */
export interface DatasetPair {
	parent: SdtmDataset;
	supp: SdtmDataset;
	records: (
		db: Executor,
		scope: ExportScope,
		protocolOf: ProtocolLookup
	) => AsyncIterable<SplitRecord | readonly SplitRecord[]>;
}

/** A parent record with the SUPP-- qualifiers it has besides the rest of long text (SUPPDV). */
type Records = (
	db: Executor,
	scope: ExportScope,
	protocolOf: ProtocolLookup
) => AsyncIterable<{ row: SdtmRow; qualifiers: SuppRow[] }>;

/**
 * A subject domain whose long text is cut, and its SUPP-- dataset holding the rest, then (when the
 * domain has any) each record's own qualifiers.
 */
function withSupp(
	spec: DatasetSpec,
	rows: Rows,
	count: SdtmDataset['count'],
	records?: { read: Records; qualifiers: readonly VariableSpec[] },
	batches?: Batches
) {
	const supp: Rows = records
		? async function* (db, scope, protocolOf) {
				for await (const r of records.read(db, scope, protocolOf)) {
					yield* splitLongText(spec, r.row).supp;
					yield* r.qualifiers;
				}
			}
		: async function* (db, scope, protocolOf) {
				for await (const row of rows(db, scope, protocolOf)) yield* splitLongText(spec, row).supp;
			};
	const parent: SdtmDataset = {
		spec,
		rows: async function* (db, scope, protocolOf) {
			for await (const row of rows(db, scope, protocolOf)) yield splitLongText(spec, row).row;
		},
		...(batches && {
			batches: async function* (db, scope, protocolOf) {
				for await (const page of batches(db, scope, protocolOf)) {
					for (let i = 0; i < page.length; i++) page[i] = splitLongText(spec, page[i]!).row;
					yield page;
				}
			}
		}),
		count
	};
	const suppDataset: SdtmDataset = {
		spec: suppSpec(spec, records?.qualifiers),
		rows: supp,
		// Only the rows tell how much of their text is long: they are read (a page at a time).
		count: async (db, scope, protocolOf) => {
			let n = 0;
			for await (const _ of supp(db, scope, protocolOf ?? noProtocol)) n += 1;
			return n;
		}
	};
	const pair: DatasetPair = {
		parent,
		supp: suppDataset,
		records: records
			? async function* (db, scope, protocolOf) {
					for await (const r of records.read(db, scope, protocolOf)) {
						const split = splitLongText(spec, r.row);
						yield {
							row: split.row,
							supp: r.qualifiers.length > 0 ? [...split.supp, ...r.qualifiers] : split.supp
						};
					}
				}
			: batches
				? async function* (db, scope, protocolOf) {
						for await (const page of batches(db, scope, protocolOf)) {
							yield page.map((row) => splitLongText(spec, row));
						}
					}
				: async function* (db, scope, protocolOf) {
						for await (const row of rows(db, scope, protocolOf)) yield splitLongText(spec, row);
					}
	};
	SDTM_PAIRS.push(pair);
	return [parent, suppDataset] as const;
}

/** Every subject domain with its SUPP-- dataset, in the order they are defined below. */
export const SDTM_PAIRS: DatasetPair[] = [];

const noProtocol: ProtocolLookup = () => {
	throw new Error('This dataset needs the protocol lookup.');
};

const [dm, suppDm] = withSupp(DM, dmRows, countDm);
const [sv, suppSv] = withSupp(SV, svRows, countSv);
const [ds, suppDs] = withSupp(DS, dsRows, countDs);
const [ex, suppEx] = withSupp(EX, exRows, countEx);
const [cm, suppCm] = withSupp(CM, cmRows, countCm);
const [ae, suppAe] = withSupp(AE, aeRows, countAe);
const [dv, suppDv] = withSupp(DV, dvRows, countDv, {
	read: dvRecords,
	qualifiers: DV_QUALIFIERS
});
const [vs, suppVs] = withSupp(VS, vsRows, countVs, undefined, vsBatches);
vs.csvFile = vsCsvChunks;
const [qs, suppQs] = withSupp(QS, qsRows, countQs);

export const SDTM_DATASETS: Record<SdtmDomain, SdtmDataset> = {
	TV: { spec: TV, rows: tvRows, count: countTv },
	DM: dm,
	SV: sv,
	DS: ds,
	EX: ex,
	CM: cm,
	AE: ae,
	DV: dv,
	VS: vs,
	QS: qs,
	SUPPDM: suppDm,
	SUPPSV: suppSv,
	SUPPDS: suppDs,
	SUPPEX: suppEx,
	SUPPCM: suppCm,
	SUPPAE: suppAe,
	SUPPDV: suppDv,
	SUPPVS: suppVs,
	SUPPQS: suppQs
};

/** The dataset's column names, in file order. */
export const columnsOf = (d: SdtmDataset): string[] => d.spec.variables.map((v) => v.name);
