import { apiRoute } from '$lib/server/runtime/api-handler';
import { signRecords } from '$lib/server/services/signatures/signatures';

export const POST = apiRoute(
	async (ctx, _event, body) => ({ signatures: await signRecords(ctx, body) }),
	{
		status: 201
	}
);
