// A dosing session's live channel (Server-Sent Events), in the review board's pattern. It carries
// no clinical data, only "this session changed": the chart page then re-runs its load, which
// checks access as usual. Relative imports (not $lib) so a test can import it without Vite.
import type { RequestHandler } from '@sveltejs/kit';
import { ServiceError } from '../../../../lib/server/errors';
import { contextOf } from '../../../../lib/server/http';
import { onFlagChange } from '../../../../lib/server/services/flag-events';
import { watchSession } from '../../../../lib/server/services/session-chart';

/** Readings saved by another process (or without a flag change) are caught by this poll. */
const POLL_MS = 1_000;
/** Proxies and browsers drop a silent connection; a comment line keeps it open. */
const KEEP_ALIVE_MS = 15_000;
/** Flags at the site changed: look once the saving transaction has had time to finish. */
const COALESCE_MS = 50;
const RETRY_MS = 1_500;

const encoder = new TextEncoder();

type Watch = Awaited<ReturnType<typeof watchSession>>;

export const GET: RequestHandler = async (event) => {
	if (!event.locals.user) return new Response('Sign in first.', { status: 401 });
	let watch: Watch;
	try {
		watch = await watchSession(contextOf(event), Number(event.params.id));
	} catch (e) {
		if (e instanceof ServiceError) return new Response(e.message, { status: e.status });
		throw e;
	}
	let stop = () => {};
	const stream = new ReadableStream<Uint8Array>({
		start(controller) {
			const send = (chunk: string) => {
				try {
					controller.enqueue(encoder.encode(chunk));
				} catch {
					stop(); // the client went away between a check and its event
				}
			};
			stop = watchReadings(watch, event.url.searchParams.get('since'), send);
			event.request.signal.addEventListener('abort', () => {
				stop();
				try {
					controller.close();
				} catch {
					// already closed by a cancel
				}
			});
		},
		cancel() {
			stop();
		}
	});
	return new Response(stream, {
		headers: {
			'content-type': 'text/event-stream; charset=utf-8',
			'cache-control': 'no-store',
			'x-accel-buffering': 'no'
		}
	});
};

/**
 * Sends `event: readings` whenever the session's fingerprint changes (at once when it differs from
 * `since`, what the page last loaded); returns the clean-up.
 */
function watchReadings(
	watch: Watch,
	since: string | null,
	send: (chunk: string) => void
): () => void {
	let last: string | null = since;
	let checking = Promise.resolve();
	let pending: ReturnType<typeof setTimeout> | undefined;
	let stopped = false;

	const check = () => {
		checking = checking
			.then(async () => {
				if (stopped) return;
				const now = await watch.fingerprint();
				if (stopped) return;
				const changed = last !== null && now !== last;
				last = now;
				if (changed) send(`event: readings\ndata: ${JSON.stringify({ at: now })}\n\n`);
			})
			.catch((e: unknown) => console.error('[vigil] session events:', e));
	};

	const unsubscribe = onFlagChange((siteId) => {
		if (siteId !== watch.siteId || pending) return;
		pending = setTimeout(() => {
			pending = undefined;
			check();
		}, COALESCE_MS);
	});
	const poll = setInterval(check, POLL_MS);
	const keepAlive = setInterval(() => send(': keep-alive\n\n'), KEEP_ALIVE_MS);

	send(`retry: ${RETRY_MS}\n\n`);
	check();
	return () => {
		if (stopped) return;
		stopped = true;
		unsubscribe();
		clearInterval(poll);
		clearInterval(keepAlive);
		clearTimeout(pending);
	};
}
