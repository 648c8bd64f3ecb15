// A dosing session's live channel: "this session changed" (see runtime/sse.ts).
// Relative imports (not $lib) so a test can import it without Vite.
import type { RequestHandler } from '@sveltejs/kit';
import { idParam } from '../../../../lib/server/runtime/params';
import { liveChannel } from '../../../../lib/server/runtime/sse';
import { watchSession } from '../../../../lib/server/services/dashboards/session-chart';

export const GET: RequestHandler = (event) =>
	liveChannel(
		event,
		async (ctx) => {
			const watch = await watchSession(ctx, idParam(event));
			return { fingerprint: watch.fingerprint, concerns: (siteId) => siteId === watch.siteId };
		},
		{ event: 'readings', since: event.url.searchParams.get('since'), label: 'session' }
	);
