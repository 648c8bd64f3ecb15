// The pharmacist's (unblinded) list: each randomised participant's kit and arm at their sites;
// after database lock, the allocation list of every reading role (the service refuses before).
import { contextOf, loadOr404, requirePageUser } from '$lib/server/runtime/http';
import { pharmacyList, pharmacyStudies } from '$lib/server/services/trial/pharmacy';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requirePageUser(
		event,
		'pharmacist',
		'investigator',
		'auditor',
		'admin',
		'monitor',
		'coordinator'
	);
	const ctx = contextOf(event);
	const study = (await loadOr404(pharmacyStudies(ctx)))[0] ?? null;
	const rows = study ? await loadOr404(pharmacyList(ctx, study.id)) : [];
	return {
		study: study ? { id: study.id, code: study.code } : null,
		rows,
		pharmacist: user.role === 'pharmacist'
	};
};
