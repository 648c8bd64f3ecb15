import { apiRoute, idParam } from '$lib/server/runtime/api-handler';
import {
	getDeviation,
	listDeviations,
	reportDeviation
} from '$lib/server/services/protocol/deviations';

export const GET = apiRoute(async (ctx, event) => ({
	deviations: await listDeviations(ctx, { participantId: idParam(event) })
}));

export const POST = apiRoute(
	async (ctx, event, body) =>
		getDeviation(ctx, (await reportDeviation(ctx, idParam(event), body)).id),
	{ status: 201 }
);
