import { formatLocal } from '$lib/domain/time';
import { contextOf, loadOr404, requirePageUser } from '$lib/server/runtime/http';
import { ValidationError } from '$lib/server/runtime/errors';
import { signManyAction } from '$lib/server/runtime/sign-action';
import { RECORD_TYPE_LABELS, reviewQueueView } from '$lib/server/services/safety/review-queue';
import { signatureMeanings } from '$lib/server/services/signatures/signatures';
import type { Actions, PageServerLoad } from './$types';

const FILTERS = [
	'type',
	'participant',
	'participantId',
	'siteId',
	'from',
	'to',
	'changed',
	'order'
] as const;

export const load: PageServerLoad = async (event) => {
	const user = requirePageUser(event, 'investigator', 'auditor');
	const ctx = contextOf(event);
	const query = Object.fromEntries(event.url.searchParams);
	let errors: Record<string, string[] | undefined> = {};
	// Every read of the page in one read job, off the request thread.
	let view;
	try {
		view = await reviewQueueView(ctx, query);
	} catch (e) {
		if (!(e instanceof ValidationError)) return loadOr404(Promise.reject(e));
		// A bad filter keeps what was typed and says what is wrong; the unfiltered queue shows.
		errors = e.fieldErrors;
		view = await loadOr404(reviewQueueView(ctx, {}));
	}
	const { queue: result, sites } = view;
	const filters = Object.fromEntries(FILTERS.map((k) => [k, event.url.searchParams.get(k) ?? '']));
	return {
		canSign: user.role === 'investigator',
		components: view.components,
		meanings: signatureMeanings(),
		sites: sites.map((s) => ({ id: s.id, code: s.code, name: s.name })),
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
