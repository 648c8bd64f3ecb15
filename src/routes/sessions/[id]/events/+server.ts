// A dosing session's live channel: "this session changed" (see lib/server/sse.ts).
// Relative imports (not $lib) so a test can import it without Vite.
import type { RequestHandler } from '@sveltejs/kit';
import { ServiceError } from '../../../../lib/server/runtime/errors';
import { contextOf } from '../../../../lib/server/runtime/http';
import { watchSession } from '../../../../lib/server/services/dashboards/session-chart';
import { changeStream } from '../../../../lib/server/runtime/sse';
import { stillSignedIn } from '../../../../lib/server/runtime/stream-access';

export const GET: RequestHandler = async (event) => {
	if (!event.locals.user) return new Response('Sign in first.', { status: 401 });
	let watch: Awaited<ReturnType<typeof watchSession>>;
	try {
		watch = await watchSession(contextOf(event), Number(event.params.id));
	} catch (e) {
		if (e instanceof ServiceError) return new Response(e.message, { status: e.status });
		throw e;
	}
	return changeStream({
		signal: event.request.signal,
		event: 'readings',
		fingerprint: () => watch.fingerprint(),
		since: event.url.searchParams.get('since'),
		concerns: (siteId) => siteId === watch.siteId,
		label: 'session',
		stillAllowed: stillSignedIn(event)
	});
};
