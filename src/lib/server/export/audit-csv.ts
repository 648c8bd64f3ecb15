// The audit trail as CSV rows: every column of the trail, with the site's code beside its id, so a
// reader can follow who did what, when and why, and still check each row's hash.
import { CHAINED_FIELDS } from '../audit/chain';
import type { AuditEvent } from '../db/schema';
import type { CsvRow } from './csv';

export type AuditCsvColumn = (typeof CHAINED_FIELDS)[number] | 'site_code' | 'hash';

/** The hashed fields in the trail's order with the site's code beside its id, then the hash. */
export const AUDIT_CSV_COLUMNS: readonly AuditCsvColumn[] = [
	...CHAINED_FIELDS.flatMap((key) => (key === 'site_id' ? [key, 'site_code' as const] : [key])),
	'hash'
];

/** One trail row; `siteCodes` maps site ids to codes. */
export function auditCsvRow(
	e: AuditEvent,
	siteCodes: ReadonlyMap<number, string>
): CsvRow<AuditCsvColumn> {
	return {
		...e,
		site_code: e.site_id === null ? null : (siteCodes.get(e.site_id) ?? null)
	};
}

export async function* auditCsvRows(
	events: AsyncIterable<AuditEvent>,
	siteCodes: ReadonlyMap<number, string>
): AsyncGenerator<CsvRow<AuditCsvColumn>> {
	for await (const e of events) yield auditCsvRow(e, siteCodes);
}
