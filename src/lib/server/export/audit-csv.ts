// The audit trail as CSV rows: every column of the trail, with the site's code beside its id, so a
// reader can follow who did what, when and why, and still check each row's hash.
import type { AuditEvent } from '../db/schema';
import type { CsvRow } from './csv';

export const AUDIT_CSV_COLUMNS = [
	'seq',
	'at',
	'actor_id',
	'actor_label',
	'actor_role',
	'site_id',
	'site_code',
	'action',
	'entity_type',
	'entity_id',
	'old_values',
	'new_values',
	'reason',
	'request_id',
	'prev_hash',
	'hash'
] as const;

export type AuditCsvColumn = (typeof AUDIT_CSV_COLUMNS)[number];

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
