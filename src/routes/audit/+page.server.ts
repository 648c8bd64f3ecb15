import { contextOf, requirePageUser } from '$lib/server/http';
import { AUDIT_PAGE_SIZE, listAuditTrail } from '$lib/server/services/audit';
import { listSites } from '$lib/server/services/sites';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requirePageUser(event, 'admin', 'auditor');
	const ctx = contextOf(event);
	const before = Number(event.url.searchParams.get('before'));
	const [events, sites] = await Promise.all([
		listAuditTrail(ctx, { beforeSeq: Number.isInteger(before) && before > 0 ? before : undefined }),
		listSites(ctx)
	]);
	const siteCodes = Object.fromEntries(sites.map((s) => [s.id, s.code]));
	return {
		events: events.map((e) => ({
			seq: e.seq,
			at: e.at,
			actor: e.actor_label,
			role: e.actor_role,
			site: e.site_id === null ? null : (siteCodes[e.site_id] ?? String(e.site_id)),
			action: e.action,
			entity: `${e.entity_type}${e.entity_id ? ' ' + e.entity_id : ''}`,
			oldValues: e.old_values,
			newValues: e.new_values,
			reason: e.reason,
			requestId: e.request_id,
			hash: e.hash
		})),
		nextBefore: events.length === AUDIT_PAGE_SIZE ? events[events.length - 1]!.seq : null
	};
};
