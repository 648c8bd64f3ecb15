import { requirePageUser } from '$lib/server/runtime/http';
import type { LayoutServerLoad } from './$types';

// Form actions do not pass through this load: each service checks the role again.
export const load: LayoutServerLoad = (event) => {
	requirePageUser(event, 'admin');
	return {};
};
