// The review board's live channel: "flags changed at one of your sites" (see lib/server/sse.ts).
// Relative imports (not $lib) so the integration test can import this handler without Vite.
import type { RequestHandler } from '@sveltejs/kit';
import { vigil } from '../../../lib/server/runtime/app';
import { ServiceError } from '../../../lib/server/runtime/errors';
import { flagsFingerprint } from '../../../lib/server/repositories/flags';
import { clinicalReadScope } from '../../../lib/server/services/people/clinical-access';
import { changeStream } from '../../../lib/server/runtime/sse';
import { stillSignedIn } from '../../../lib/server/runtime/stream-access';

export const GET: RequestHandler = (event) => {
	const { locals, request } = event;
	if (!locals.user) return new Response('Sign in first.', { status: 401 });
	let scope: number[] | 'all';
	try {
		scope = clinicalReadScope(locals.user);
	} catch (e) {
		if (e instanceof ServiceError) return new Response(e.message, { status: e.status });
		throw e;
	}
	const { db } = vigil();
	return changeStream({
		signal: request.signal,
		event: 'flags',
		fingerprint: () => flagsFingerprint(db, scope),
		concerns: (siteId) => scope === 'all' || scope.includes(siteId),
		sendOnNotice: true,
		label: 'review',
		stillAllowed: stillSignedIn(event)
	});
};
