import { loadOrCreateSigningKey, signingKeyPath } from '$lib/server/audit/signing-key';
import { latestCheckpoint } from '$lib/server/repositories/audit-checkpoints';
import { checkpointMinutes } from '$lib/server/audit/checkpoints';
import { contextOf, requirePageUser } from '$lib/server/runtime/http';
import type { PageServerLoad } from './$types';

// The public half of the key that signs checkpoints and auditor bundles, for an auditor to compare
// with the key in a bundle. The private key never leaves its file.
export const load: PageServerLoad = async (event) => {
	requirePageUser(event, 'admin');
	const key = loadOrCreateSigningKey();
	const last = await latestCheckpoint(contextOf(event).db);
	return {
		fingerprint: key.fingerprint,
		publicKeyPem: key.publicKeyPem,
		keyFile: signingKeyPath(),
		checkpointMinutes: checkpointMinutes(),
		lastCheckpoint: last
			? { id: last.id, seq: last.seq, hash: last.hash, at: last.signed_at }
			: null
	};
};
