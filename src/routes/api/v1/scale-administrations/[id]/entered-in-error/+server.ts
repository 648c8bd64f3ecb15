import { apiRoute, idParam } from '$lib/server/api';
import { markScaleEnteredInError } from '$lib/server/services/scales';

export const POST = apiRoute(async (ctx, event, body) =>
	markScaleEnteredInError(ctx, idParam(event), body)
);
