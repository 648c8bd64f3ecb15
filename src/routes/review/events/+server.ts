// The review board's live channel: "flags changed at one of your sites" (see runtime/sse.ts).
// Relative imports (not $lib) so the integration test can import this handler without Vite.
import type { RequestHandler } from '@sveltejs/kit';
import { liveChannel } from '../../../lib/server/runtime/sse';
import { watchFlags } from '../../../lib/server/services/safety/flag-watch';

/** The handler with its poll interval open to tests. */
export const _reviewEvents = (event: Parameters<typeof liveChannel>[0], pollMs?: number) =>
	liveChannel(event, watchFlags, { event: 'flags', sendOnNotice: true, label: 'review', pollMs });

export const GET: RequestHandler = (event) => _reviewEvents(event);
