// The review board's live channel: "flags changed at one of your sites" (see runtime/sse.ts).
// Relative imports (not $lib) so the integration test can import this handler without Vite.
import type { RequestHandler } from '@sveltejs/kit';
import { liveChannel, type PollSchedule } from '../../../lib/server/runtime/sse';
import { watchFlags } from '../../../lib/server/services/safety/flag-watch';

/** The handler with its poll schedule open to tests (they run each poll by hand). */
export const _reviewEvents = (
	event: Parameters<typeof liveChannel>[0],
	schedulePoll?: PollSchedule
) =>
	liveChannel(event, watchFlags, {
		event: 'flags',
		sendOnNotice: true,
		label: 'review',
		schedulePoll
	});

export const GET: RequestHandler = (event) => _reviewEvents(event);
