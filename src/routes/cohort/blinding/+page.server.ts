// The blinding-integrity page: a door to services/trial/blinding-integrity, which decides what
// this reader may see (per-arm figures only for an unblinded role, or anyone after lock).
import { contextOf, loadOr404, requirePageUser } from '$lib/server/runtime/http';
import {
	BLINDING_INTEGRITY_READERS,
	blindingIntegrity
} from '$lib/server/services/trial/blinding-integrity';
import { studyParam } from '$lib/server/runtime/params';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requirePageUser(event, ...BLINDING_INTEGRITY_READERS);
	return { view: await loadOr404(blindingIntegrity(contextOf(event), studyParam(event.url))) };
};
