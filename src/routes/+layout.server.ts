import { contextOf } from '$lib/server/runtime/http';
import { studyLockBanner } from '$lib/server/services/monitoring/freeze-lock';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async (event) => {
	const { locals } = event;
	const u = locals.user;
	return {
		user: u ? { name: u.name, email: u.email, role: u.role } : null,
		// Either owes a step before the rest of Vigil opens: no navigation until then.
		mustChangePassword: locals.mustChangePassword || locals.mustEnrolSecondFactor,
		// A locked study is read-only for everyone: every page says so.
		studyLock: u ? await studyLockBanner(contextOf(event)) : null
	};
};
