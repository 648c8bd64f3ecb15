import { apiRoute, idParam } from '$lib/server/runtime/api-handler';
import { consentRecordJson } from '$lib/server/api/trial-json';
import { getConsentRecord, withdrawConsent } from '$lib/server/services/trial/consent';

export const POST = apiRoute(async (ctx, event, body) => {
	const id = idParam(event);
	await withdrawConsent(ctx, id, body);
	return consentRecordJson(await getConsentRecord(ctx, id));
});
