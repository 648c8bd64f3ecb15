import { error } from '@sveltejs/kit';
import { actionWords, fieldKey, readableChanges } from '$lib/domain/monitoring/audit-words';
import { contextOf, loadOr404, requirePageUser } from '$lib/server/runtime/http';
import { auditRecordHistory } from '$lib/server/services/audit/audit';
import { auditEventView, type AuditEventView } from '$lib/server/services/audit/audit-views';
import { listSites } from '$lib/server/services/people/sites';
import type { PageServerLoad } from './$types';

const isObject = (v: unknown): v is Record<string, unknown> =>
	typeof v === 'object' && v !== null && !Array.isArray(v);

/** The values the trail last recorded for each field: creation's, then each correction's. */
function lastRecorded(
	views: AuditEventView[]
): Array<{ field: string; label: string; value: string; seq: number }> {
	const state = new Map<string, { field: string; label: string; value: string; seq: number }>();
	for (const v of views) {
		if (!isObject(v.newValues)) continue;
		for (const c of readableChanges(v.entity.type, null, v.newValues)) {
			// An older entry's `heart_rate` and a later one's `heartRate` are one field.
			state.set(fieldKey(c.field), {
				field: c.field,
				label: c.label,
				value: c.after ?? '—',
				seq: v.seq
			});
		}
	}
	return [...state.values()];
}

/** A trail row for the page: the action and each change in words, no raw values. */
const forPage = (v: AuditEventView) => {
	const { oldValues, newValues, prevHash: _prev, changes: _raw, ...rest } = v;
	return {
		...rest,
		what: actionWords(v.action),
		changes: readableChanges(v.entity.type, oldValues, newValues)
	};
};

export const load: PageServerLoad = async (event) => {
	requirePageUser(event, 'admin', 'auditor');
	const { type, id } = event.params;
	if (!/^[a-z_]{1,40}$/.test(type) || id.length > 40) error(404, 'Record not found.');
	const ctx = contextOf(event);
	const [history, sites] = await Promise.all([
		loadOr404(auditRecordHistory(ctx, type, id)),
		listSites(ctx)
	]);
	const codes = new Map(sites.map((s) => [s.id, s.code]));
	const versions = history.versions.map((e) => auditEventView(e, codes));
	return {
		entityType: history.entityType,
		entityId: history.entityId,
		versions: versions.map((v, i) => ({ version: i + 1, ...forPage(v) })),
		current: lastRecorded(versions),
		related: history.related.map((e) => forPage(auditEventView(e, codes))),
		trailHref: `/audit?entityType=${encodeURIComponent(type)}&entityId=${encodeURIComponent(id)}`
	};
};
