import { contextOf, loadOr404, requirePageUser } from '$lib/server/runtime/http';
import { signingKeyOverview } from '$lib/server/services/audit/signing-key';
import type { PageServerLoad } from './$types';

// The public half of the key that signs checkpoints and auditor bundles, for an auditor to compare
// with the key in a bundle. The private key never leaves its file.
export const load: PageServerLoad = async (event) => {
	requirePageUser(event, 'admin');
	return loadOr404(signingKeyOverview(contextOf(event)));
};
