import { error } from '@sveltejs/kit';
import { formatLocal } from '$lib/domain/time';
import { contextOf, loadOr404, requirePageUser } from '$lib/server/runtime/http';
import { reviewQueue } from '$lib/server/services/signatures/signatures';
import { listSites } from '$lib/server/services/people/sites';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requirePageUser(event, 'investigator', 'auditor');
	const ctx = contextOf(event);
	const sites = await listSites(ctx);
	const code = event.url.searchParams.get('site') || null;
	const site = code === null ? undefined : sites.find((s) => s.code === code);
	if (code !== null && !site) error(404, 'Site not found.');
	const items = await loadOr404(reviewQueue(ctx, { siteId: site?.id }));
	return {
		canSign: user.role === 'investigator',
		sites: sites.map((s) => ({ code: s.code, name: s.name })),
		site: site?.code ?? null,
		items: items.map((i) => ({
			key: `${i.entityType}-${i.entityId}`,
			subjectCode: i.subjectCode,
			participantId: i.participantId,
			siteCode: i.siteCode,
			what: i.what,
			when: formatLocal(i.at, i.timeZone),
			timeZone: i.timeZone,
			href: i.href,
			changedSinceSigned: i.changedSinceSigned
		}))
	};
};
