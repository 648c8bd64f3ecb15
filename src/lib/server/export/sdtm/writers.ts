// Each SDTM domain's columns, rows and count, for the exports and the bundle alike.
import type { Executor } from '../../db';
import type { CsvRow } from '../csv';
import type { SdtmDomain } from '../filters';
import type { ExportScope } from '../pages';
import { AE_COLUMNS, aeRows, countAe } from './ae';
import { countDm, DM_COLUMNS, dmRows } from './dm';
import { countQs, QS_COLUMNS, qsRows } from './qs';
import { countVs, VS_COLUMNS, vsRows } from './vs';

export interface SdtmWriter {
	columns: readonly string[];
	rows: (db: Executor, scope: ExportScope) => AsyncIterable<CsvRow<string>>;
	count: (db: Executor, scope: ExportScope) => Promise<number>;
}

export const SDTM_WRITERS: Record<SdtmDomain, SdtmWriter> = {
	DM: { columns: DM_COLUMNS, rows: dmRows, count: countDm },
	VS: { columns: VS_COLUMNS, rows: vsRows, count: countVs },
	AE: { columns: AE_COLUMNS, rows: aeRows, count: countAe },
	QS: { columns: QS_COLUMNS, rows: qsRows, count: countQs }
};
