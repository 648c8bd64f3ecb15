import { apiRoute, idParam } from '$lib/server/runtime/api-handler';
import { markScaleEnteredInError } from '$lib/server/services/capture/scales';

export const POST = apiRoute(async (ctx, event, body) =>
	markScaleEnteredInError(ctx, idParam(event), body)
);
