import { vigil } from '$lib/server/runtime/app';
import { secondFactorRequired } from '$lib/server/auth/policy';
import { contextOf, requirePageUser, serviceAction } from '$lib/server/runtime/http';
import {
	confirmSecondFactorEnrolment,
	renewRecoveryCodes,
	secondFactorStatus,
	startSecondFactorEnrolment
} from '$lib/server/services/people/second-factor';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requirePageUser(event);
	const status = await secondFactorStatus(contextOf(event));
	return {
		...status,
		pending: status.pending && {
			secret: status.pending.secret,
			uri: status.pending.uri,
			// An <img> of the SVG: no markup from the server enters the page.
			qrDataUrl: `data:image/svg+xml;base64,${Buffer.from(status.pending.qrSvg).toString('base64')}`
		},
		required: secondFactorRequired(user.role, vigil().config.session),
		forced: event.locals.mustEnrolSecondFactor
	};
};

export const actions: Actions = {
	start: serviceAction('start', async (_form, ctx, event) => {
		requirePageUser(event);
		return startSecondFactorEnrolment(ctx);
	}),
	confirm: serviceAction('confirm', async (form, ctx, event) => {
		requirePageUser(event);
		return confirmSecondFactorEnrolment(ctx, { code: form.get('code') });
	}),
	renew: serviceAction('renew', async (form, ctx, event) => {
		requirePageUser(event);
		return renewRecoveryCodes(ctx, { code: form.get('code') });
	})
};
