import { apiRoute, idParam } from '$lib/server/runtime/api-handler';
import { consentRecordJson, participantConsentJson } from '$lib/server/api/trial-json';
import { participantConsent, recordConsent } from '$lib/server/services/trial/consent';

export const GET = apiRoute(async (ctx, event) =>
	participantConsentJson(await participantConsent(ctx, idParam(event)))
);

export const POST = apiRoute(
	async (ctx, event, body) => consentRecordJson(await recordConsent(ctx, idParam(event), body)),
	{ status: 201 }
);
