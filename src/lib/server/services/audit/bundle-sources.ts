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
import { csvStream } from '../../export/csv';
import { odmDocument } from '../../export/odm';
import type { ExportScope } from '../../export/pages';
import type { ColumnStats } from '../../../domain/sdtm';
import { defineXml, type DefineDataset, type DefineStudy } from '../../export/define/define-xml';
import { columnsOf, SDTM_DATASETS, type SdtmDataset } from '../../export/sdtm/datasets';
import { xptChunks } from '../../export/xpt/writer';
import * as repo from '../../repositories/audit';
import type { AuditFilter } from '../../repositories/audit';
import { protocolLookup } from '../protocol/studies';

const isSupp = (d: SdtmDataset) => d.spec.class === 'RELATIONSHIP';

/** The rows as they pass, counted into `seen`. */
async function* counted<T>(rows: AsyncIterable<T>, seen: { rows: number }): AsyncGenerator<T> {
	for await (const row of rows) {
		seen.rows += 1;
		yield row;
	}
}

/** SDTM domains, flags and signatures, within the filters; an empty SUPP-- is left out. */
export function clinicalSources(db: Executor, scope: ExportScope, upToSeq: number): BundleSource[] {
	return [
		...Object.values(SDTM_DATASETS).map((d) => {
			const seen = { rows: 0 };
			return {
				name: `${d.spec.name.toLowerCase()}.csv`,
				open: () => csvStream(columnsOf(d), counted(d.rows(db, scope, protocolLookup(db)), seen)),
				keep: () => !isSupp(d) || seen.rows > 0
			};
		}),
		{ name: 'flags.csv', open: () => csvStream(FLAG_COLUMNS, flagRows(db, scope, upToSeq)) },
		{ name: 'signatures.csv', open: () => csvStream(SIGNATURE_COLUMNS, signatureRows(db, scope)) }
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
	const xpt = Object.values(SDTM_DATASETS).map((d) => {
		let rows = 0;
		return {
			name: `${d.spec.name.toLowerCase()}.xpt`,
			open: () =>
				xptChunks(
					d.spec,
					d.rows(db, scope, protocolLookup(db)),
					createdAt,
					(stats: ColumnStats) => {
						rows = stats.rows;
						measured.push({ spec: d.spec, stats: stats.byName(), rows });
					}
				),
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

async function* lines(
	rows: AsyncIterable<AuditEvent>,
	line: (row: ChainRow) => string
): AsyncGenerator<string> {
	for await (const row of rows) yield line(row);
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
				csvStream(
					AUDIT_CSV_COLUMNS,
					auditCsvRows(repo.filteredEventsInOrder(db, readable, pageSize), o.codes)
				)
		},
		chain
	];
}
