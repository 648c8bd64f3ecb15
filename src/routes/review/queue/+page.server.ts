import { formatLocal } from '$lib/domain/time';
import { contextOf, loadOr404, requirePageUser } from '$lib/server/runtime/http';
import { ValidationError } from '$lib/server/runtime/errors';
import { signManyAction } from '$lib/server/runtime/sign-action';
import { participantChoices } from '$lib/server/services/capture/participants';
import { listSites } from '$lib/server/services/people/sites';
import { RECORD_TYPE_LABELS } from '$lib/server/services/safety/review-queue';
import { componentsNeeded } from '$lib/server/services/signatures/signing-components';
import { reviewQueue, signatureMeanings } from '$lib/server/services/signatures/signatures';
import type { Actions, PageServerLoad } from './$types';

const FILTERS = ['type', 'participantId', 'siteId', 'from', 'to', 'changed', 'order'] as const;

export const load: PageServerLoad = async (event) => {
	const user = requirePageUser(event, 'investigator', 'auditor');
	const ctx = contextOf(event);
	const query = Object.fromEntries(event.url.searchParams);
	const [sites, participants] = await Promise.all([listSites(ctx), participantChoices(ctx)]);
	let errors: Record<string, string[] | undefined> = {};
	let result;
	try {
		result = await reviewQueue(ctx, query);
	} catch (e) {
		if (!(e instanceof ValidationError)) return loadOr404(Promise.reject(e));
		// A bad filter keeps what was typed and says what is wrong; the unfiltered queue shows.
		errors = e.fieldErrors;
		result = await loadOr404(reviewQueue(ctx, {}));
	}
	const filters = Object.fromEntries(FILTERS.map((k) => [k, event.url.searchParams.get(k) ?? '']));
	return {
		canSign: user.role === 'investigator',
		components: await componentsNeeded(ctx),
		meanings: signatureMeanings(),
		sites: sites.map((s) => ({ id: s.id, code: s.code, name: s.name })),
		participants,
		typeLabels: RECORD_TYPE_LABELS,
		filters,
		errors,
		total: result.total,
		page: result.page,
		pages: result.pages,
		counts: result.counts,
		items: result.items.map((i) => ({
			key: `${i.entityType}:${i.entityId}:${i.version}`,
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

export const actions: Actions = {
	sign: (event) => signManyAction(event)
};
