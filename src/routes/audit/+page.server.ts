import { actionWords, readableChanges } from '$lib/domain/monitoring/audit-words';
import { AUDIT_FILTER_KEYS } from '$lib/schemas/audit-trail';
import { AUDIT_ACTIONS } from '$lib/server/audit/actions';
import { ValidationError } from '$lib/server/runtime/errors';
import { contextOf, loadOr404, requirePageUser } from '$lib/server/runtime/http';
import { exploreAuditTrail, type AuditTrailPage } from '$lib/server/services/audit/audit';
import { auditEventView } from '$lib/server/services/audit/audit-views';
import { listSites } from '$lib/server/services/people/sites';
import type { PageServerLoad } from './$types';

const EXPLORER_PAGE_SIZE = 25;

/** Actions to suggest: the vocabulary, the exports, and each family ('flag' is every flag.*). */
const ACTIONS = [...new Set([...Object.values(AUDIT_ACTIONS), 'export.create'])].sort();
const FAMILIES = [...new Set(ACTIONS.map((a) => a.split('.')[0]!))];

/** The filters as a query string, so paging and the download keep them (no JavaScript needed). */
function filterQuery(typed: Record<string, string>): URLSearchParams {
	const q = new URLSearchParams();
	for (const key of AUDIT_FILTER_KEYS) if (typed[key]) q.set(key, typed[key]);
	return q;
}

export const load: PageServerLoad = async (event) => {
	requirePageUser(event, 'admin', 'auditor');
	const ctx = contextOf(event);
	const params = event.url.searchParams;
	const typed = Object.fromEntries(AUDIT_FILTER_KEYS.map((k) => [k, params.get(k)?.trim() ?? '']));
	let errors: Record<string, string[]> = {};
	// 25 events a page: a readable screen, not a 20,000 px table (the API keeps its 100).
	const query = { ...typed, before: params.get('before') ?? '', limit: EXPLORER_PAGE_SIZE };
	const page: AuditTrailPage | null = await loadOr404(
		exploreAuditTrail(ctx, query).catch((e: unknown) => {
			if (!(e instanceof ValidationError)) throw e;
			errors = e.fieldErrors;
			return null;
		})
	);
	// The sites come with the page, in its read job; a spoilt filter reads none (nor any event).
	const sites = page?.sites ?? (await listSites(ctx));
	const codes = new Map(sites.map((s) => [s.id, s.code]));
	const filters = filterQuery(typed);
	const next = new URLSearchParams(filters);
	if (page?.nextBefore) next.set('before', String(page.nextBefore));
	return {
		typed,
		errors,
		filtered: filters.size > 0,
		sites: sites.map((s) => ({ id: s.id, code: s.code, name: s.name })),
		actions: [...FAMILIES, ...ACTIONS],
		events: (page?.events ?? []).map((e) => {
			const { oldValues, newValues, changes: _raw, ...view } = auditEventView(e, codes);
			return {
				...view,
				what: actionWords(view.action),
				changes: readableChanges(view.entity.type, oldValues, newValues)
			};
		}),
		paged: params.has('before'),
		nextHref: page?.nextBefore ? `?${next}` : null,
		firstHref: filters.size ? `?${filters}` : '/audit',
		csvHref: `/audit/export.csv${filters.size ? `?${filters}` : ''}`
	};
};
