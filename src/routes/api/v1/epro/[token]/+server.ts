// The participant's self-report through the JSON API: the link's token is the credential (used
// once, until it expires); no staff session or API token plays any part, and whoever is signed
// in on the device answers as the participant, never as themselves (services/trial/epro.ts).
import { json, type RequestHandler } from '@sveltejs/kit';
import { errorResponse, fieldOf, readJsonBody } from '$lib/server/runtime/api-handler';
import { contextOf } from '$lib/server/runtime/http';
import { eproLinkForm, submitEproLink } from '$lib/server/services/trial/epro';

const PRIVATE = { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' };

export const GET: RequestHandler = async (event) => {
	try {
		const { form, expiresAt } = await eproLinkForm(contextOf(event), event.params.token);
		return json({ ...form, expiresAt }, { headers: PRIVATE });
	} catch (e) {
		return errorResponse(e, event);
	}
};

export const POST: RequestHandler = async (event) => {
	try {
		const body = await readJsonBody(event);
		await submitEproLink(contextOf(event), event.params.token, {
			items: fieldOf(body, 'items'),
			deviceTime: fieldOf(body, 'deviceTime'),
			deviceZone: fieldOf(body, 'deviceZone')
		});
		return json({ received: true }, { status: 201, headers: PRIVATE });
	} catch (e) {
		return errorResponse(e, event);
	}
};
