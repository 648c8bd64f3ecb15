import { error } from '@sveltejs/kit';
import { RECORD_TYPE_NAMES, isRecordType } from '$lib/domain/monitoring/fields';
import { formatLocal } from '$lib/domain/time';
import { ValidationError } from '$lib/server/runtime/errors';
import { contextOf, loadOr404, requirePageUser } from '$lib/server/runtime/http';
import {
	listDataQueries,
	QUERY_STATUSES,
	unresolvedQueries
} from '$lib/server/services/monitoring/queries';
import { sdvProgressView } from '$lib/server/services/monitoring/sdv-progress';
import type { PageServerLoad } from './$types';

const HREF: Record<string, string> = {
	dosing_session: '/sessions',
	adverse_event: '/adverse-events',
	scale_administration: '/scales',
	participant: '/participants'
};

export const load: PageServerLoad = async (event) => {
	requirePageUser(event, 'monitor', 'coordinator', 'investigator', 'auditor');
	const ctx = contextOf(event);
	const status = event.url.searchParams.get('status') || undefined;
	if (status !== undefined && !(QUERY_STATUSES as readonly string[]).includes(status)) {
		error(400, 'Unknown query status.');
	}
	const [queries, unresolved, progress] = await Promise.all([
		loadOr404(listDataQueries(ctx, { status })).catch((e: unknown) => {
			if (e instanceof ValidationError) error(400, e.message);
			throw e;
		}),
		loadOr404(unresolvedQueries(ctx)),
		// A cursor from elsewhere is a ValidationError: 400.
		loadOr404(
			sdvProgressView(ctx, {
				site: event.url.searchParams.get('sdvSite') || undefined,
				cursor: event.url.searchParams.get('sdvCursor') || undefined
			})
		)
	]);
	return {
		status: status ?? '',
		statuses: QUERY_STATUSES,
		unresolved,
		progress,
		queries: queries.map((q) => ({
			id: q.id,
			status: q.status,
			siteCode: q.siteCode,
			subjectCode: q.subjectCode,
			participantId: q.participantId,
			record: `${isRecordType(q.entityType) ? RECORD_TYPE_NAMES[q.entityType] : q.entityType} ${q.entityId}`,
			href: HREF[q.entityType] ? `${HREF[q.entityType]}/${q.entityId}` : null,
			field: q.fieldLabel,
			text: q.text,
			raised: formatLocal(q.raisedAt, 'UTC'),
			ageDays: q.ageDays,
			steps: q.steps.length
		}))
	};
};
