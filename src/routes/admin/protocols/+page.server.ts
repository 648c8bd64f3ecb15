import { fail } from '@sveltejs/kit';
import type { FieldErrors } from '$lib/server/runtime/errors';
import {
	contextOf,
	echo,
	loadOr404,
	requirePageUser,
	recordId,
	serviceAction
} from '$lib/server/runtime/http';
import {
	activateProtocolVersion,
	activeProtocolSummary,
	dryRunProtocol,
	listProtocolVersions,
	validateProtocolText
} from '$lib/server/services/protocol/protocol-versions';
import { listStudies, loadProtocol } from '$lib/server/services/protocol/studies';
import { studyParam } from '$lib/server/runtime/params';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requirePageUser(event, 'admin');
	const ctx = contextOf(event);
	const studies = (await listStudies(ctx)).map((s) => ({ id: s.id, code: s.code, title: s.title }));
	const wanted = studyParam(event.url);
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
	check: serviceAction('check', async (form, ctx) => {
		const definition = text(form, 'definition');
		const checked = validateProtocolText(definition);
		if (!checked.ok) return refused(form, checked.errors, 'check');
		const days = text(form, 'days').trim();
		const dryRun = await dryRunProtocol(ctx, recordId(text(form, 'studyId')), checked.definition, {
			days: days === '' ? 90 : Number(days)
		});
		return { which: 'check', dryRun, definition, days };
	}),
	load: serviceAction('check', async (form, ctx) => {
		const checked = validateProtocolText(text(form, 'definition'));
		if (!checked.ok) return refused(form, checked.errors, 'check');
		const loaded = await loadProtocol(ctx, checked.definition);
		return {
			which: 'load',
			loaded: { id: loaded.protocolVersionId, version: loaded.protocol.version }
		};
	}),
	activate: serviceAction('activate', async (form, ctx) => {
		const activated = await activateProtocolVersion(ctx, recordId(text(form, 'versionId')), {
			reason: form.get('reason'),
			studyId: recordId(text(form, 'studyId'))
		});
		return { which: 'activate', activated: activated.version };
	})
};
