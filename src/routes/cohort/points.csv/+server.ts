import { error } from '@sveltejs/kit';
import { toCsv } from '$lib/views/csv';
import { contextOf, loadOr404, requirePageUser } from '$lib/server/runtime/http';
import { cohortPage } from '$lib/server/services/dashboards/dashboard-views';
import { cohortSlug, SCATTER_COLUMNS, unpackScatter } from '$lib/views/cohort';
import { filtersOf } from '../cohort-page.server';
import type { RequestHandler } from './$types';

// A follow-up's baseline-against-change points as the cohort page shows them (same filters, same
// access, same rounding), as CSV: the page links here for the download, and its points table is
// listed from here when opened (the page carries only what its chart draws). `at` names the
// follow-up visit (the first one by default).
export const GET: RequestHandler = async (event) => {
	requirePageUser(event, 'investigator', 'auditor', 'admin');
	const filters = { ...filtersOf(event.url), lines: false, listPoints: true };
	const { view } = await loadOr404(cohortPage(contextOf(event), filters));
	const at = event.url.searchParams.get('at');
	const fu = view?.followUps.find((f) => f.code === at) ?? view?.followUps[0];
	if (!view || !fu?.listed) error(404, 'No such follow-up.');
	const slug = cohortSlug(
		view.context.study.code,
		view.context.filters.siteCode,
		filters.doseGroup
	);
	const name = `cohort-${slug}-${fu.code}-baseline-vs-change.csv`.replace(/[^A-Za-z0-9.-]+/g, '');
	return new Response(toCsv(SCATTER_COLUMNS, unpackScatter({ ...fu.points, ...fu.listed })), {
		headers: {
			'content-type': 'text/csv; charset=utf-8; header=present',
			'content-disposition': `attachment; filename="${name}"`
		}
	});
};
