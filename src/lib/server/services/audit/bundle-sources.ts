// The files of the auditor bundle, each produced only when the archive reaches it, each read a
// keyset page at a time.
import type { ChainRow } from '../../audit/chain';
import {
	FULL_TRAIL_FILE,
	fullTrailLine,
	SCOPED_CHAIN_FILE,
	scopedChainLine
} from '../../audit/trail-file';
import type { Executor } from '../../db';
import type { AuditEvent } from '../../db/schema';
import { AUDIT_CSV_COLUMNS, auditCsvRows } from '../../export/audit-csv';
import type { BundleSource } from '../../export/bundle';
import {
	FLAG_COLUMNS,
	flagRows,
	SIGNATURE_COLUMNS,
	signatureRows
} from '../../export/bundle-records';
import { csvChunks } from '../../export/csv';
import { odmDocument } from '../../export/odm';
import type { ExportScope } from '../../export/pages';
import type { ColumnStats, SdtmRow } from '../../../domain/sdtm';
import { defineXml, type DefineDataset, type DefineStudy } from '../../export/define/define-xml';
import {
	columnsOf,
	SDTM_DATASETS,
	SDTM_PAIRS,
	type DatasetPair,
	type SdtmDataset,
	type SplitRecord
} from '../../export/sdtm/datasets';
import { xptChunks } from '../../export/xpt/writer';
import { QualifierLengths } from '../../export/define/measure';
import * as repo from '../../repositories/audit';
import type { AuditFilter } from '../../repositories/audit';
import { protocolLookup } from '../protocol/studies';

const isSupp = (d: SdtmDataset) => d.spec.class === 'RELATIONSHIP';

type Rows = AsyncIterable<SdtmRow | readonly SdtmRow[]>;

/** The rows as they pass (one by one or a page at a time), counted into `seen`. */
async function* counted<T>(
	rows: AsyncIterable<T | readonly T[]>,
	seen: { rows: number }
): AsyncGenerator<T | readonly T[]> {
	for await (const item of rows) {
		seen.rows += Array.isArray(item) ? item.length : 1;
		yield item;
	}
}

/**
 * At most this many SUPP-- rows of one domain are kept from its parent's read for the SUPP--
 * file that follows (about 10 MB of long text); beyond, the SUPP-- reads its parent again.
 */
const SUPP_KEPT_ROWS = 20_000;

/** The SUPP-- rows one read of a parent gave, for its SUPP-- file written later in the bundle. */
class KeptSupp {
	#rows: SdtmRow[] | null = [];
	#complete = false;

	add(rows: readonly SdtmRow[]): void {
		if (this.#rows === null || rows.length === 0) return;
		if (this.#rows.length + rows.length > SUPP_KEPT_ROWS) this.#rows = null;
		else this.#rows.push(...rows);
	}

	done(): void {
		this.#complete = true;
	}

	/** The rows, if the parent was read to its end and they were few enough to keep. */
	take(): SdtmRow[] | null {
		const rows = this.#complete ? this.#rows : null;
		this.#rows = null;
		return rows;
	}
}

const PAGE_ROWS = 500;

/** A parent's rows a page at a time, from its records, keeping their SUPP-- rows in `kept`. */
async function* parentPages(
	pair: DatasetPair,
	db: Executor,
	scope: ExportScope,
	kept: KeptSupp
): AsyncGenerator<SdtmRow[]> {
	let page: SdtmRow[] = [];
	for await (const item of pair.records(db, scope, protocolLookup(db))) {
		const records = Array.isArray(item) ? (item as readonly SplitRecord[]) : [item as SplitRecord];
		for (const r of records) {
			page.push(r.row);
			kept.add(r.supp);
		}
		if (page.length >= PAGE_ROWS) {
			yield page;
			page = [];
		}
	}
	if (page.length > 0) yield page;
	kept.done();
}

async function* inPages(rows: readonly SdtmRow[]): AsyncGenerator<readonly SdtmRow[]> {
	for (let i = 0; i < rows.length; i += PAGE_ROWS) yield rows.slice(i, i + PAGE_ROWS);
}

/**
 * Each SDTM dataset's rows, in SDTM_DATASETS order, for one bundle's files: a subject domain is
 * read once, and its SUPP-- file, which comes later, gets the SUPP-- rows that read gave (each
 * SUPP-- read its parent again: about 7 s of the site tier's bundle, most of them for empty
 * files). A SUPP-- whose parent was not read to its end, or gave too many rows to keep, reads
 * its parent again, as a SUPP-- exported alone does.
 */
function datasetRows(db: Executor, scope: ExportScope): Map<SdtmDataset, () => Rows> {
	const out = new Map<SdtmDataset, () => Rows>();
	const kept = new Map<SdtmDataset, KeptSupp>();
	for (const pair of SDTM_PAIRS) {
		const k = new KeptSupp();
		kept.set(pair.supp, k);
		out.set(pair.parent, () => parentPages(pair, db, scope, k));
		out.set(pair.supp, () => {
			const rows = k.take();
			return rows ? inPages(rows) : pair.supp.rows(db, scope, protocolLookup(db));
		});
	}
	for (const d of Object.values(SDTM_DATASETS)) {
		if (!out.has(d)) out.set(d, () => d.rows(db, scope, protocolLookup(db)));
	}
	return out;
}

/** SDTM domains, flags and signatures, within the filters; an empty SUPP-- is left out. */
export function clinicalSources(db: Executor, scope: ExportScope, upToSeq: number): BundleSource[] {
	const rowsOf = datasetRows(db, scope);
	return [
		...Object.values(SDTM_DATASETS).map((d) => {
			const seen = { rows: 0 };
			return {
				name: `${d.spec.name.toLowerCase()}.csv`,
				open: () => csvChunks(columnsOf(d), counted(rowsOf.get(d)!(), seen)),
				keep: () => !isSupp(d) || seen.rows > 0
			};
		}),
		{ name: 'flags.csv', open: () => csvChunks(FLAG_COLUMNS, flagRows(db, scope, upToSeq)) },
		{ name: 'signatures.csv', open: () => csvChunks(SIGNATURE_COLUMNS, signatureRows(db, scope)) }
	];
}

/**
 * The submission files: each SDTM dataset as SAS XPORT v5, then define.xml describing them with
 * the lengths the XPT writer measured on the same rows (so the two cannot disagree).
 */
export function submissionSources(
	db: Executor,
	scope: ExportScope,
	createdAt: Date,
	study: DefineStudy | null
): BundleSource[] {
	const measured: DefineDataset[] = [];
	const rowsOf = datasetRows(db, scope);
	const xpt = Object.values(SDTM_DATASETS).map((d) => {
		let rows = 0;
		return {
			name: `${d.spec.name.toLowerCase()}.xpt`,
			open: () => {
				const qualifiers = new QualifierLengths(d.spec);
				const read = rowsOf.get(d)!();
				return xptChunks(
					d.spec,
					qualifiers.declared ? qualifiers.through(read) : read,
					createdAt,
					(stats: ColumnStats) => {
						rows = stats.rows;
						measured.push({
							spec: d.spec,
							stats: stats.byName(),
							rows,
							qualifierLengths: qualifiers.lengths
						});
					}
				);
			},
			// define.xml declares an empty SUPP-- dataset as having no data, so no file is sent.
			keep: () => !isSupp(d) || rows > 0
		};
	});
	if (!study) return xpt;
	const define = {
		name: 'define.xml',
		open: async function* () {
			yield defineXml(study, measured, createdAt);
		}
	};
	return [...xpt, define];
}

export function odmSource(
	db: Executor,
	scope: ExportScope & { studyId: number },
	createdAt: Date
): BundleSource {
	const file = {
		fileOid: `VIGIL.ODM.${createdAt.getTime()}`,
		createdAt,
		sourceSystemVersion: '0.1.0'
	};
	return { name: 'odm.xml', open: () => odmDocument(db, scope, file, protocolLookup(db)) };
}

/** The rows' lines, gathered into pieces of about 64 KB (one per line was a step, a buffer and a hash update per audit row). */
async function* lines(
	rows: AsyncIterable<AuditEvent>,
	line: (row: ChainRow) => string
): AsyncGenerator<string> {
	let text = '';
	for await (const row of rows) {
		text += line(row);
		if (text.length >= 64 * 1024) {
			yield text;
			text = '';
		}
	}
	if (text.length > 0) yield text;
}

export interface TrailOptions extends Pick<AuditFilter, 'siteIds' | 'includeSiteless'> {
	pageSize?: number;
	/** The head recorded with the bundle: later rows are not part of it. */
	upToSeq: number;
	codes: ReadonlyMap<number, string>;
}

/**
 * audit-trail.csv (the rows the reader may see) and the chain file: the full trail for those who
 * may read all of it, else every row's link with the contents of the reader's rows only (see
 * audit/trail-file.ts for why that still verifies).
 */
export function trailSources(db: Executor, o: TrailOptions): BundleSource[] {
	const { siteIds, pageSize, upToSeq } = o;
	const readable = { siteIds, includeSiteless: o.includeSiteless, beforeSeq: upToSeq + 1 };
	const all = () => repo.auditEventsInOrder(db, pageSize, upToSeq);
	const chain: BundleSource =
		siteIds === 'all'
			? { name: FULL_TRAIL_FILE, open: () => lines(all(), fullTrailLine) }
			: {
					name: SCOPED_CHAIN_FILE,
					open: () =>
						lines(all(), (r) =>
							scopedChainLine(r, r.site_id !== null && siteIds.includes(r.site_id))
						)
				};
	return [
		{
			name: 'audit-trail.csv',
			open: () =>
				csvChunks(
					AUDIT_CSV_COLUMNS,
					auditCsvRows(repo.filteredEventsInOrder(db, readable, pageSize), o.codes)
				)
		},
		chain
	];
}
