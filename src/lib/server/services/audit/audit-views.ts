// The trail's rows as pages and the JSON API show them: values parsed, changes paired old → new.
import type { AuditEvent } from '../../db/schema';

export interface FieldChange {
	field: string;
	/** JSON text of the value before, or null when the field was not set (creation). */
	old: string | null;
	new: string | null;
}

export interface AuditEventView {
	seq: number;
	at: string;
	actor: { id: number | null; label: string; role: string };
	siteId: number | null;
	site: string | null;
	action: string;
	entity: { type: string; id: string | null };
	oldValues: unknown;
	newValues: unknown;
	changes: FieldChange[];
	reason: string | null;
	requestId: string | null;
	prevHash: string;
	hash: string;
}

function parsed(json: string | null): unknown {
	if (json === null) return null;
	try {
		return JSON.parse(json) as unknown;
	} catch {
		return json;
	}
}

const isObject = (v: unknown): v is Record<string, unknown> =>
	typeof v === 'object' && v !== null && !Array.isArray(v);

const text = (v: unknown): string | null =>
	v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v);

/** Each field that appears in the old or new values, with both sides. */
export function fieldChanges(oldValues: unknown, newValues: unknown): FieldChange[] {
	if (oldValues === null && newValues === null) return [];
	if (
		!(isObject(oldValues) || oldValues === null) ||
		!(isObject(newValues) || newValues === null)
	) {
		return [{ field: '', old: text(oldValues ?? undefined), new: text(newValues ?? undefined) }];
	}
	const before = oldValues ?? {};
	const after = newValues ?? {};
	const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
	return fields.map((field) => ({ field, old: text(before[field]), new: text(after[field]) }));
}

export function auditEventView(
	e: AuditEvent,
	siteCodes: ReadonlyMap<number, string>
): AuditEventView {
	const oldValues = parsed(e.old_values);
	const newValues = parsed(e.new_values);
	return {
		seq: e.seq,
		at: e.at,
		actor: { id: e.actor_id, label: e.actor_label, role: e.actor_role },
		siteId: e.site_id,
		site: e.site_id === null ? null : (siteCodes.get(e.site_id) ?? String(e.site_id)),
		action: e.action,
		entity: { type: e.entity_type, id: e.entity_id },
		oldValues,
		newValues,
		changes: fieldChanges(oldValues, newValues),
		reason: e.reason,
		requestId: e.request_id,
		prevHash: e.prev_hash,
		hash: e.hash
	};
}
