import { error } from '@sveltejs/kit';
import { toCsv } from '$lib/views/csv';
import { contextOf, loadOr404, requirePageUser } from '$lib/server/runtime/http';
import { cohortPage } from '$lib/server/services/dashboards/dashboard-views';
import {
	cohortSlug,
	GROUP_TABLES,
	groupMeanColumns,
	groupMeanRows,
	unpackGroups,
	type GroupTable
} from '$lib/views/cohort';
import { filtersOf } from '../cohort-page.server';
import type { RequestHandler } from './$types';

// The mean by visit for each site (`by=site`) or dose group (`by=dose`) as the cohort page shows
// it (same filters, same access, same rounding), as CSV: at a trial's 64 sites its table was
// rendered into every page and carried again as a data: link; the page now lists the table when
// it is opened and links here for the download.
export const GET: RequestHandler = async (event) => {
	requirePageUser(event, 'investigator', 'auditor', 'admin');
	const by = event.url.searchParams.get('by') ?? 'site';
	if (!Object.hasOwn(GROUP_TABLES, by)) error(404, 'No such table: by=site or by=dose.');
	const table = GROUP_TABLES[by as GroupTable];
	const filters = { ...filtersOf(event.url), lines: false };
	const { view } = await loadOr404(cohortPage(contextOf(event), filters));
	if (!view) error(404, 'No study is loaded yet.');
	const groups = unpackGroups(by === 'site' ? view.bySite : view.byDoseGroup);
	const slug = cohortSlug(
		view.context.study.code,
		view.context.filters.siteCode,
		filters.doseGroup
	);
	const name = `cohort-${slug}-${table.file}.csv`.replace(/[^A-Za-z0-9.-]+/g, '');
	return new Response(toCsv(groupMeanColumns(table.groupName), groupMeanRows(groups)), {
		headers: {
			'content-type': 'text/csv; charset=utf-8; header=present',
			'content-disposition': `attachment; filename="${name}"`
		}
	});
};
