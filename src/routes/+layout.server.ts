import { vigil } from '$lib/server/runtime/app';
import { standingStudyLock } from '$lib/server/services/monitoring/freeze-lock';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals }) => {
	const u = locals.user;
	return {
		user: u ? { name: u.name, email: u.email, role: u.role } : null,
		mustChangePassword: locals.mustChangePassword,
		// A locked study is read-only for everyone: every page says so.
		studyLock: u ? await standingStudyLock(vigil().db) : null
	};
};
