import { ValidationError } from '$lib/server/runtime/errors';
import { SDTM_DOMAINS } from '$lib/server/export/filters';
import { contextOf, loadOr404, requirePageUser } from '$lib/server/runtime/http';
import { exportOverview, type ExportOverview } from '$lib/server/services/audit/exports';
import { listSites } from '$lib/server/services/people/sites';
import { listStudies } from '$lib/server/services/protocol/studies';
import type { PageServerLoad } from './$types';

const FIELDS = ['siteId', 'studyId', 'from', 'to'] as const;

/** GET links carry the filters, so a download works without JavaScript and can be bookmarked. */
function linkQuery(filters: ExportOverview['filters']): string {
	const q = new URLSearchParams();
	for (const f of FIELDS) if (filters[f] !== undefined) q.set(f, String(filters[f]));
	const text = q.toString();
	return text ? `?${text}` : '';
}

export const load: PageServerLoad = async (event) => {
	requirePageUser(event, 'admin', 'auditor');
	const ctx = contextOf(event);
	const typed = Object.fromEntries(FIELDS.map((f) => [f, event.url.searchParams.get(f) ?? '']));
	const [sites, studies] = await Promise.all([listSites(ctx), listStudies(ctx)]);
	// Filters that do not read are shown beside the form; a site not held is "not found".
	const result = await loadOr404(
		exportOverview(ctx, typed).catch((e: unknown) => {
			if (e instanceof ValidationError) return e;
			throw e;
		})
	);
	const overview = result instanceof ValidationError ? null : result;
	const errors = result instanceof ValidationError ? result.fieldErrors : {};
	const query = overview ? linkQuery(overview.filters) : '';
	return {
		typed,
		errors,
		sites: sites.map((s) => ({ id: s.id, code: s.code, name: s.name })),
		// SDTM DM.COUNTRY is required: name the sites an admin has still to give one.
		sitesWithoutCountry: sites.filter((s) => !s.country).map((s) => s.code),
		studies: studies.map((s) => ({ id: s.id, code: s.code, title: s.title })),
		downloads: overview
			? [
					...SDTM_DOMAINS.map((d) => ({
						name: `SDTM ${d}`,
						format: 'CSV, SAS XPORT v5',
						links: [
							{ label: 'CSV', href: `/api/v1/exports/sdtm/${d.toLowerCase()}${query}` },
							{
								label: 'XPT',
								href: `/api/v1/exports/xpt/${d.toLowerCase()}${query}`,
								binary: true
							}
						],
						count: overview!.counts[d],
						unit: 'rows'
					})),
					{
						name: 'Dataset definitions',
						format: 'Define-XML 2.1',
						links: [{ label: 'define.xml', href: `/api/v1/exports/define${query}`, binary: true }],
						count: SDTM_DOMAINS.length,
						unit: 'datasets'
					},
					{
						name: 'Audited history',
						format: 'CDISC ODM 1.3.2 XML',
						links: [{ label: 'ODM', href: `/api/v1/exports/odm${query}` }],
						count: overview.counts.ODM,
						unit: 'changes'
					},
					{
						name: 'Auditor bundle',
						format: 'signed .tar.gz',
						links: [{ label: 'Bundle', href: `/exports/bundle${query}` }],
						count: overview.counts.ODM,
						unit: 'changes'
					}
				]
			: []
	};
};
