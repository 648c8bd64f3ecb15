import { apiRoute, idParam, parseQuery } from '$lib/server/runtime/api-handler';
import { includeEnteredInErrorQuery } from '$lib/server/api/schemas';
import { vitalReadingJson } from '$lib/server/api/serialize';
import { sessionView } from '$lib/server/services/capture/session-view';
import { recordVitals } from '$lib/server/services/capture/vitals';

export const GET = apiRoute(async (ctx, event) => {
	const { includeEnteredInError } = parseQuery(includeEnteredInErrorQuery, event.url);
	const view = await sessionView(ctx, idParam(event));
	const readings = [
		...view.rows.flatMap((r) => (r.reading ? [r.reading] : [])),
		...view.unscheduled,
		...(includeEnteredInError === 'true' ? view.enteredInError : [])
	].sort((a, b) => a.measured_at.localeCompare(b.measured_at) || a.id - b.id);
	return {
		readings: readings.map(vitalReadingJson),
		// What is due when, so a monitor or script knows which timepoint a reading belongs to.
		schedule: view.rows.map((r) => ({
			timepoint: r.label,
			key: r.key,
			scheduledAt: r.scheduledAt,
			status: r.status,
			minutesLate: r.minutesLate,
			readingId: r.reading?.id ?? null
		}))
	};
});

export const POST = apiRoute(
	async (ctx, event, body) => vitalReadingJson(await recordVitals(ctx, idParam(event), body)),
	{ status: 201 }
);
