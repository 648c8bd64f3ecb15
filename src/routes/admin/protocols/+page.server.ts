import { fail } from '@sveltejs/kit';
import type { FieldErrors } from '$lib/server/runtime/errors';
import {
	contextOf,
	echo,
	formAction,
	loadOr404,
	requirePageUser,
	recordId
} from '$lib/server/runtime/http';
import {
	activateProtocolVersion,
	activeProtocolSummary,
	dryRunProtocol,
	listProtocolVersions,
	validateProtocolText
} from '$lib/server/services/protocol/protocol-versions';
import { listStudies, loadProtocol } from '$lib/server/services/protocol/studies';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requirePageUser(event, 'admin');
	const ctx = contextOf(event);
	const studies = (await listStudies(ctx)).map((s) => ({ id: s.id, code: s.code, title: s.title }));
	const wanted = Number(event.url.searchParams.get('study'));
	const study = studies.find((s) => s.id === wanted) ?? studies[0] ?? null;
	if (!study) return { studies, study, versions: [], active: null };
	const [versions, active] = await Promise.all([
		loadOr404(listProtocolVersions(ctx, study.id)),
		loadOr404(activeProtocolSummary(ctx, study.id))
	]);
	return { studies, study, versions, active };
};

const text = (form: FormData, name: string) => {
	const v = form.get(name);
	return typeof v === 'string' ? v : '';
};

/** The protocol's problems, keyed by field path as a form failure carries them. */
function refused(form: FormData, errors: { path: string; message: string }[], which: string) {
	const byPath: FieldErrors = {};
	for (const e of errors) (byPath[e.path] ??= []).push(e.message);
	return fail(422, {
		message: 'The protocol has errors.',
		errors: byPath,
		values: echo(form),
		which
	});
}

export const actions: Actions = {
	check: async (event) => {
		const form = await event.request.formData();
		const definition = text(form, 'definition');
		const checked = validateProtocolText(definition);
		if (!checked.ok) return refused(form, checked.errors, 'check');
		const days = text(form, 'days').trim();
		const result = await formAction(
			form,
			() =>
				dryRunProtocol(contextOf(event), recordId(text(form, 'studyId')), checked.definition, {
					days: days === '' ? 90 : Number(days)
				}),
			'check'
		);
		return 'rules' in result ? { which: 'check', dryRun: result, definition, days } : result;
	},
	load: async (event) => {
		const form = await event.request.formData();
		const checked = validateProtocolText(text(form, 'definition'));
		if (!checked.ok) return refused(form, checked.errors, 'check');
		const result = await formAction(
			form,
			() => loadProtocol(contextOf(event), checked.definition),
			'check'
		);
		return 'protocolVersionId' in result
			? {
					which: 'load',
					loaded: { id: result.protocolVersionId, version: result.protocol.version }
				}
			: result;
	},
	activate: async (event) => {
		const form = await event.request.formData();
		const result = await formAction(
			form,
			() =>
				activateProtocolVersion(contextOf(event), recordId(text(form, 'versionId')), {
					reason: form.get('reason'),
					studyId: recordId(text(form, 'studyId'))
				}),
			'activate'
		);
		return 'version' in result ? { which: 'activate', activated: result.version } : result;
	}
};
