import { apiRoute, idParam } from '$lib/server/runtime/api-handler';
import { consentFormVersionJson } from '$lib/server/api/trial-json';
import { addFormVersion, listFormVersions } from '$lib/server/services/trial/consent';

export const GET = apiRoute(async (ctx, event) => ({
	versions: (await listFormVersions(ctx, idParam(event))).map(consentFormVersionJson)
}));

export const POST = apiRoute(
	async (ctx, event, body) =>
		consentFormVersionJson(await addFormVersion(ctx, idParam(event), body)),
	{ status: 201 }
);
