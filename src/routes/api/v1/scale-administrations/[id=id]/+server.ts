import { apiRoute, idParam } from '$lib/server/runtime/api-handler';
import {
	correctScaleAdministration,
	getScaleAdministration
} from '$lib/server/services/capture/scales';

export const GET = apiRoute(async (ctx, event) => getScaleAdministration(ctx, idParam(event)));

export const PATCH = apiRoute(async (ctx, event, body) =>
	correctScaleAdministration(ctx, idParam(event), body)
);
