// define.xml states each variable's length as the data have it, so the rows are read once to
// measure them (the XPT writer measures the same rows the same way: ColumnStats).
import { ColumnStats } from '../../../domain/sdtm';
import type { Executor } from '../../db';
import type { ExportScope } from '../pages';
import type { ProtocolLookup } from '../protocols';
import { SDTM_DATASETS } from '../sdtm/datasets';
import { defineXml, type DefineDataset, type DefineStudy } from './define-xml';

export async function measuredDatasets(
	db: Executor,
	scope: ExportScope,
	protocolOf: ProtocolLookup
): Promise<DefineDataset[]> {
	const out: DefineDataset[] = [];
	for (const dataset of Object.values(SDTM_DATASETS)) {
		const stats = new ColumnStats(dataset.spec);
		for await (const row of dataset.rows(db, scope, protocolOf)) stats.add(row);
		out.push({ spec: dataset.spec, stats: stats.byName(), rows: stats.rows });
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
