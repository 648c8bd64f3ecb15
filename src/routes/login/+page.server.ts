import { fail, redirect } from '@sveltejs/kit';
import { LANDING_PAGES } from '$lib/roles';
import { safeNextPath } from '$lib/server/auth/next-path';
import { setSessionCookie, setSignInChallengeCookie } from '$lib/server/runtime/cookies';
import { AuthenticationError, ValidationError, type FieldErrors } from '$lib/server/runtime/errors';
import { clientAddress } from '$lib/server/runtime/client-address';
import { contextOf } from '$lib/server/runtime/http';
import { signIn, SIGN_IN_FAILED } from '$lib/server/services/people/auth';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user) {
		redirect(303, safeNextPath(url.searchParams.get('next')) ?? LANDING_PAGES[locals.user.role]);
	}
	return {};
};

export const actions: Actions = {
	default: async (event) => {
		const form = await event.request.formData();
		const email = String(form.get('email') ?? '');
		const input = { email, password: String(form.get('password') ?? '') };
		let result;
		try {
			result = await signIn(contextOf(event), input, { address: clientAddress(event) });
		} catch (e) {
			if (e instanceof ValidationError) {
				return fail(400, {
					message: 'Enter your email and password.',
					email,
					errors: e.fieldErrors
				});
			}
			if (e instanceof AuthenticationError) {
				return fail(400, { message: SIGN_IN_FAILED, email, errors: {} as FieldErrors });
			}
			throw e;
		}
		if (result.kind === 'second-factor') {
			// The code comes next; `next` travels along, checked again when it is used.
			setSignInChallengeCookie(event.cookies, event.url, result.challenge);
			const next = safeNextPath(event.url.searchParams.get('next'));
			redirect(303, next ? `/login/code?next=${encodeURIComponent(next)}` : '/login/code');
		}
		setSessionCookie(event.cookies, event.url, result.token);
		if (result.mustChangePassword) redirect(303, '/account/password');
		redirect(
			303,
			safeNextPath(event.url.searchParams.get('next')) ?? LANDING_PAGES[result.user.role]
		);
	}
};
