import { contextOf, requirePageUser } from '$lib/server/runtime/http';
import { verifyAuditChain } from '$lib/server/services/audit/audit';
import { listSites } from '$lib/server/services/people/sites';
import { listUsers } from '$lib/server/services/people/users';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requirePageUser(event, 'admin');
	const ctx = contextOf(event);
	const [sites, users] = await Promise.all([listSites(ctx), listUsers(ctx)]);
	return {
		siteCount: sites.length,
		userCount: users.filter((u) => !u.disabled).length,
		disabledCount: users.filter((u) => u.disabled).length
	};
};

export const actions: Actions = {
	verify: async (event) => {
		requirePageUser(event, 'admin');
		const report = await verifyAuditChain(contextOf(event));
		return {
			verified: {
				ok: report.ok,
				rows: report.rows,
				headSeq: report.head?.seq ?? 0,
				headHash: report.head?.hash ?? null,
				problem: report.problem?.message ?? null
			}
		};
	}
};
