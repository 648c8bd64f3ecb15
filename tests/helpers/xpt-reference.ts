// The XPT writer's observations as they were written before its binary spool (to 2026-12-07):
// every row kept as a JSON line, parsed back and encoded value by value (toIbmDouble, Buffer#write
// into a blank observation). The reference the writer is held to, byte for byte
// (tests/unit/xpt/writer.test.ts); the headers and lengths are the writer's own.
import {
	ColumnStats,
	type DatasetSpec,
	type SdtmRow,
	type SdtmValue
} from '../../src/lib/domain/sdtm';
import { toIbmDouble } from '../../src/lib/server/export/xpt/ibm-float';
import { libraryHeader, memberHeader, RECORD } from '../../src/lib/server/export/xpt/records';
import { xptVariables } from '../../src/lib/server/export/xpt/writer';

const textOf = (value: SdtmValue | undefined) =>
	value === null || value === undefined ? '' : String(value);

const numberOf = (value: SdtmValue | undefined): number | null => {
	if (value === null || value === undefined || value === '') return null;
	return typeof value === 'number' ? value : Number(value);
};

/** The whole file, as the JSON-spooling writer wrote it. */
export function referenceXpt(spec: DatasetSpec, rows: readonly SdtmRow[], created: Date): Buffer {
	const stats = new ColumnStats(spec);
	const lines = rows.map((row) => {
		stats.add(row);
		return JSON.stringify(spec.variables.map((v) => row[v.name] ?? null));
	});
	const variables = xptVariables(spec, stats);
	const width = variables.reduce((sum, v) => sum + v.length, 0);
	const observations = lines.map((line) => {
		const values = JSON.parse(line) as SdtmValue[];
		const out = Buffer.alloc(width, 0x20);
		let at = 0;
		variables.forEach((v, i) => {
			if (v.numeric) out.set(toIbmDouble(numberOf(values[i])), at);
			else out.write(textOf(values[i]), at, v.length, 'utf8');
			at += v.length;
		});
		return out;
	});
	const written = observations.length * width;
	return Buffer.concat([
		libraryHeader(created),
		memberHeader(spec, variables, created),
		...observations,
		Buffer.alloc((RECORD - (written % RECORD)) % RECORD, 0x20)
	]);
}
