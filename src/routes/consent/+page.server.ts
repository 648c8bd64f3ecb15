// Consent form versions (added by admins) and the participants who must consent again.
import {
	contextOf,
	loadOr404,
	requirePageUser,
	recordId,
	serviceAction
} from '$lib/server/runtime/http';
import { listStudies } from '$lib/server/services/protocol/studies';
import {
	addFormVersion,
	listFormVersions,
	reconsentList
} from '$lib/server/services/trial/consent';
import { studyParam } from '$lib/server/runtime/params';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requirePageUser(event, 'admin', 'coordinator', 'investigator', 'monitor', 'auditor');
	const ctx = contextOf(event);
	const studies = (await listStudies(ctx)).map((s) => ({ id: s.id, code: s.code }));
	const wanted = studyParam(event.url);
	const study = studies.find((s) => s.id === wanted) ?? studies[0] ?? null;
	if (!study) return { studies, study, versions: [], reconsent: [], canAdd: false };
	const [versions, reconsent] = await Promise.all([
		loadOr404(listFormVersions(ctx, study.id)),
		loadOr404(reconsentList(ctx, study.id))
	]);
	return {
		studies,
		study,
		canAdd: user.role === 'admin',
		versions: versions.map((v) => ({
			id: v.id,
			label: v.label,
			language: v.language,
			approvedOn: v.approved_on,
			activeFrom: v.active_from.slice(0, 10),
			reconsentRequired: v.reconsent_required === 1,
			summary: v.summary
		})),
		reconsent
	};
};

export const actions: Actions = {
	add: serviceAction('add', async (form, ctx) => {
		await addFormVersion(ctx, recordId(form.get('studyId')), {
			label: form.get('label'),
			language: form.get('language') || undefined,
			approvedOn: form.get('approvedOn'),
			activeFrom: form.get('activeFrom'),
			reconsentRequired: form.get('reconsentRequired') ?? false,
			summary: form.get('summary') ?? undefined
		});
		return { saved: true };
	})
};
