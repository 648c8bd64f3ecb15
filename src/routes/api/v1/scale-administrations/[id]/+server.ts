import { apiRoute, idParam } from '$lib/server/api';
import { correctScaleAdministration, getScaleAdministration } from '$lib/server/services/scales';

export const GET = apiRoute(async (ctx, event) => getScaleAdministration(ctx, idParam(event)));

export const PATCH = apiRoute(async (ctx, event, body) =>
	correctScaleAdministration(ctx, idParam(event), body)
);
