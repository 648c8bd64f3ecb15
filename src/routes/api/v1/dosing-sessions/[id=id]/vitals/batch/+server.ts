import { apiRoute, idParam } from '$lib/server/runtime/api-handler';
import { vitalReadingJson } from '$lib/server/api/serialize';
import { recordVitalsBatch } from '$lib/server/services/capture/vitals';

export const POST = apiRoute(
	async (ctx, event, body) => {
		const saved = await recordVitalsBatch(ctx, idParam(event), body);
		return {
			readings: saved.map(({ reading, warnings }) => ({ ...vitalReadingJson(reading), warnings }))
		};
	},
	{ status: 201 }
);
