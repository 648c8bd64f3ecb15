import { formatLocal } from '$lib/domain/time';
import { contextOf, loadOr404, requirePageUser } from '$lib/server/runtime/http';
import { idParam } from '$lib/server/runtime/params';
import { signManyAction } from '$lib/server/runtime/sign-action';
import { casebookPreview } from '$lib/server/services/signatures/casebook';
import { signatureMeanings } from '$lib/server/services/signatures/signatures';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requirePageUser(event, 'investigator', 'auditor');
	const ctx = contextOf(event);
	const upTo = event.url.searchParams.get('upTo');
	const preview = await loadOr404(casebookPreview(ctx, idParam(event), { upTo }));
	return {
		...preview,
		items: preview.items.map((i) => ({
			key: `${i.entityType}:${i.entityId}:${i.version}`,
			what: i.what,
			when: formatLocal(i.at, i.timeZone),
			timeZone: i.timeZone,
			href: i.href,
			changedSinceSigned: i.changedSinceSigned
		})),
		meanings: signatureMeanings()
	};
};

export const actions: Actions = {
	sign: (event) => signManyAction(event)
};
