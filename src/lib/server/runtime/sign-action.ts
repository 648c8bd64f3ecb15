// The "sign" form action a record's page adds beside its own actions; SignaturePanel posts to it.
import type { RequestEvent } from '@sveltejs/kit';
import { contextOf, formAction } from './http';
import { signRecord, signRecords, type SignableType } from '../services/signatures/signatures';

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

/** `dosing_session:12:5` → a record reference with the version the signer saw. */
function recordRef(value: string) {
	const [entityType, entityId, version] = value.split(':');
	return { entityType, entityId, version: version || undefined };
}

/**
 * Signs the records ticked (or listed) in the form, `record` = `type:id:version`, in one act.
 * Failures come back under `which: 'sign-many'`; success as `{ signedCount }`.
 */
export async function signManyAction(event: Pick<RequestEvent, 'request' | 'locals'>) {
	const form = await event.request.formData();
	const records = form
		.getAll('record')
		.filter((v): v is string => typeof v === 'string')
		.map(recordRef);
	const result = await formAction(
		form,
		() =>
			signRecords(contextOf(event), {
				records,
				meaning: form.get('meaning'),
				userId: form.get('userId'),
				password: form.get('password')
			}),
		'sign-many'
	);
	return Array.isArray(result) ? { signedCount: result.length } : result;
}
