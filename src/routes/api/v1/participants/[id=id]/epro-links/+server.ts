// Self-report links of one participant: the same service as the trial page (a coordinator at the
// participant's site issues one; the token is in this answer only, Vigil keeps its SHA-256).
import { apiRoute, idParam } from '$lib/server/runtime/api-handler';
import { issueEproLink, listEproLinks } from '$lib/server/services/trial/epro';

export const GET = apiRoute(async (ctx, event) => ({
	links: await listEproLinks(ctx, idParam(event))
}));

export const POST = apiRoute(
	async (ctx, event, body) => {
		const issued = await issueEproLink(ctx, idParam(event), body);
		return { ...issued, path: `/epro/${issued.token}`, apiPath: `/api/v1/epro/${issued.token}` };
	},
	{ status: 201 }
);
