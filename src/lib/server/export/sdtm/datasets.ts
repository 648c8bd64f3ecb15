// Every SDTM dataset Vigil writes: its definition (the one source of truth for the CSV, XPT and
// define.xml writers), its rows and its row count, in the order a submission lists them.
import {
	AE,
	CM,
	DM,
	DS,
	DV,
	EX,
	QS,
	SV,
	TV,
	VS,
	type DatasetSpec,
	type SdtmRow
} from '../../../domain/sdtm';
import type { Executor } from '../../db';
import type { SdtmDomain } from '../filters';
import type { ExportScope } from '../pages';
import type { ProtocolLookup } from '../protocols';
import { aeRows, countAe } from './ae';
import { cmRows, countCm } from './cm';
import { countDm, dmRows } from './dm';
import { countDs, dsRows } from './ds';
import { countDv, dvRows } from './dv';
import { countEx, exRows } from './ex';
import { countQs, qsRows } from './qs';
import { countSv, svRows } from './sv';
import { countTv, tvRows } from './tv';
import { countVs, vsRows } from './vs';

export interface SdtmDataset {
	spec: DatasetSpec;
	/** The protocol lookup is for the writers that need the study's timepoints (VS). */
	rows: (db: Executor, scope: ExportScope, protocolOf: ProtocolLookup) => AsyncIterable<SdtmRow>;
	/** TV counts the protocol's visits, so it needs the lookup too. */
	count: (db: Executor, scope: ExportScope, protocolOf?: ProtocolLookup) => Promise<number>;
}

export const SDTM_DATASETS: Record<SdtmDomain, SdtmDataset> = {
	TV: { spec: TV, rows: tvRows, count: countTv },
	DM: { spec: DM, rows: dmRows, count: countDm },
	SV: { spec: SV, rows: svRows, count: countSv },
	DS: { spec: DS, rows: dsRows, count: countDs },
	EX: { spec: EX, rows: exRows, count: countEx },
	CM: { spec: CM, rows: cmRows, count: countCm },
	AE: { spec: AE, rows: aeRows, count: countAe },
	DV: { spec: DV, rows: dvRows, count: countDv },
	VS: { spec: VS, rows: vsRows, count: countVs },
	QS: { spec: QS, rows: qsRows, count: countQs }
};

/** The dataset's column names, in file order. */
export const columnsOf = (d: SdtmDataset): string[] => d.spec.variables.map((v) => v.name);
