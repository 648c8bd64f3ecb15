// define.xml states each variable's length as the data have it, so the rows are read once to
// measure them (the XPT writer measures the same rows the same way: ColumnStats).
import { ColumnStats } from '../../../domain/sdtm';
import type { Executor } from '../../db';
import type { ExportScope } from '../pages';
import type { ProtocolLookup } from '../protocols';
import { SDTM_DATASETS } from '../sdtm/datasets';
import { defineXml, type DefineDataset, type DefineStudy } from './define-xml';

const utf8 = new TextEncoder();

export async function measuredDatasets(
	db: Executor,
	scope: ExportScope,
	protocolOf: ProtocolLookup
): Promise<DefineDataset[]> {
	const out: DefineDataset[] = [];
	for (const dataset of Object.values(SDTM_DATASETS)) {
		const stats = new ColumnStats(dataset.spec);
		const qualifiers = new Set((dataset.spec.qualifiers ?? []).map((q) => q.name));
		const qualifierLengths = new Map<string, number>();
		for await (const row of dataset.rows(db, scope, protocolOf)) {
			stats.add(row);
			const qnam = String(row.QNAM ?? '');
			if (qualifiers.has(qnam)) {
				const bytes = utf8.encode(String(row.QVAL ?? '')).length;
				qualifierLengths.set(qnam, Math.max(qualifierLengths.get(qnam) ?? 1, bytes));
			}
		}
		out.push({ spec: dataset.spec, stats: stats.byName(), rows: stats.rows, qualifierLengths });
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
	yield defineXml(study, await measuredDatasets(db, scope, protocolOf), createdAt);
}
