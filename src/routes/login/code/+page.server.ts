import { fail, redirect } from '@sveltejs/kit';
import { LANDING_PAGES } from '$lib/roles';
import { safeNextPath } from '$lib/server/auth/next-path';
import {
	clearSignInChallengeCookie,
	setSessionCookie,
	SIGN_IN_CHALLENGE_COOKIE
} from '$lib/server/runtime/cookies';
import { AuthenticationError, ValidationError } from '$lib/server/runtime/errors';
import { clientAddress } from '$lib/server/runtime/client-address';
import { contextOf } from '$lib/server/runtime/http';
import { ChallengeGoneError, completeSecondFactor } from '$lib/server/services/people/sign-in-code';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ cookies, locals, url }) => {
	if (locals.user) {
		redirect(303, safeNextPath(url.searchParams.get('next')) ?? LANDING_PAGES[locals.user.role]);
	}
	// Without the password step there is nothing to complete.
	if (!cookies.get(SIGN_IN_CHALLENGE_COOKIE)) redirect(303, '/login');
	return {};
};

export const actions: Actions = {
	default: async (event) => {
		const challenge = event.cookies.get(SIGN_IN_CHALLENGE_COOKIE);
		if (!challenge) redirect(303, '/login');
		const form = await event.request.formData();
		let result;
		try {
			result = await completeSecondFactor(
				contextOf(event),
				challenge,
				{ code: String(form.get('code') ?? '') },
				{ address: clientAddress(event) }
			);
		} catch (e) {
			if (e instanceof ValidationError) {
				return fail(400, { message: 'Enter the code.', errors: e.fieldErrors, gone: false });
			}
			if (e instanceof ChallengeGoneError) {
				clearSignInChallengeCookie(event.cookies);
				return fail(400, { message: e.message, errors: {}, gone: true });
			}
			if (e instanceof AuthenticationError) {
				return fail(400, { message: e.message, errors: {}, gone: false });
			}
			throw e;
		}
		clearSignInChallengeCookie(event.cookies);
		setSessionCookie(event.cookies, event.url, result.token);
		if (result.mustChangePassword) redirect(303, '/account/password');
		redirect(
			303,
			safeNextPath(event.url.searchParams.get('next')) ?? LANDING_PAGES[result.user.role]
		);
	}
};
