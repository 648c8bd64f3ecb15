// The "sign" form action a record's page adds beside its own actions; SignaturePanel posts to it.
import type { RequestEvent } from '@sveltejs/kit';
import { contextOf, formAction } from './http';
import { signRecord, type SignableType } from '../services/signatures/signatures';

/**
 * Signs the page's record with the meaning and password from the form. Failures come back as
 * field errors (`password`, `meaning`) under `which: 'sign'`; success as `{ signed: true }`.
 */
export async function signAction(
	event: Pick<RequestEvent, 'request' | 'locals'>,
	entityType: SignableType,
	entityId: number
) {
	const form = await event.request.formData();
	const result = await formAction(
		form,
		() =>
			signRecord(contextOf(event), {
				entityType,
				entityId,
				meaning: form.get('meaning'),
				userId: form.get('userId'),
				password: form.get('password')
			}),
		'sign'
	);
	return 'signerName' in result ? { signed: true as const } : result;
}
