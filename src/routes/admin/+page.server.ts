import { contextOf, requirePageUser, recordId, serviceAction } from '$lib/server/runtime/http';
import { lockStudy, studyLockState } from '$lib/server/services/monitoring/freeze-lock';
import {
	approveUnlock,
	declineUnlock,
	pendingUnlock,
	requestUnlock
} from '$lib/server/services/monitoring/unlock-approval';
import { listStudies } from '$lib/server/services/protocol/studies';
import { verifyAuditChain } from '$lib/server/services/audit/audit';
import { listSites } from '$lib/server/services/people/sites';
import { listUsers } from '$lib/server/services/people/users';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requirePageUser(event, 'admin');
	const ctx = contextOf(event);
	const [sites, users] = await Promise.all([listSites(ctx), listUsers(ctx)]);
	const studies = await listStudies(ctx);
	return {
		studies: await Promise.all(
			studies.map(async (s) => ({
				id: s.id,
				code: s.code,
				...(await studyLockState(ctx, s.id)),
				unlockRequest: await pendingUnlock(ctx, s.id)
			}))
		),
		siteCount: sites.length,
		userCount: users.filter((u) => !u.disabled).length,
		disabledCount: users.filter((u) => u.disabled).length
	};
};

export const actions: Actions = {
	lock: serviceAction(
		(form) => `lock-${String(form.get('studyId'))}`,
		async (form, ctx) => {
			const id = recordId(form.get('studyId'));
			const reason = form.get('reason');
			const step = form.get('step');
			if (step === 'request') await requestUnlock(ctx, id, { reason });
			else if (step === 'approve') await approveUnlock(ctx, id, { note: reason });
			else if (step === 'decline') await declineUnlock(ctx, id, { reason });
			else await lockStudy(ctx, id, { reason });
			return { lockChanged: String(step ?? 'lock') };
		}
	),
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
