// A Server-Sent Events stream that says "something changed" and nothing more: the page re-runs
// its load, which checks access as usual. Changes are seen two ways: the in-process flag notice
// (immediate) and a fingerprint poll (catches writes by other processes, such as the CLI).
import type { RequestEvent } from '@sveltejs/kit';
import { onFlagChange, onFlagCommitted } from '../services/safety/flag-events';
import type { ServiceContext } from './context';
import { ServiceError } from './errors';
import { contextOf } from './http';
import { stillSignedIn } from './stream-access';

/** How often the fingerprint is compared. */
const POLL_MS = 1_000;
/** Proxies and browsers drop a silent connection; a comment line keeps it open. */
const KEEP_ALIVE_MS = 15_000;
/** Saves often raise several flags in one transaction: one event for them all. */
const COALESCE_MS = 50;
/** The browser reconnects this soon after a drop. */
const RETRY_MS = 1_500;

const encoder = new TextEncoder();

export interface ChangeStreamOptions {
	signal: AbortSignal;
	/** The SSE event name, e.g. 'flags'. */
	event: string;
	/** A cheap value that changes whenever what the page shows changes. */
	fingerprint: () => Promise<string>;
	/** The fingerprint the page last loaded: a change since then is sent at once. */
	since?: string | null;
	/** Which in-process flag notices concern this stream. */
	concerns: (siteId: number) => boolean;
	/** Send on every concerning notice, even when the fingerprint looks the same. */
	sendOnNotice?: boolean;
	/** For log lines. */
	label: string;
	/**
	 * Whether the caller may still listen (session not ended, expired or disabled); checked with
	 * each poll, and the stream ends with an `end` event once it says no.
	 */
	stillAllowed?: () => Promise<boolean>;
	/** How often the fingerprint is compared. */
	pollMs?: number;
	/**
	 * How the polls are scheduled (tests pass their own and run each poll by hand; default
	 * setInterval). `tick` settles once that poll's check, and any event it sends, is done.
	 */
	schedulePoll?: PollSchedule;
}

export type PollSchedule = (tick: () => Promise<void>, everyMs: number) => () => void;

const intervalSchedule: PollSchedule = (tick, everyMs) => {
	const timer = setInterval(() => void tick(), everyMs);
	return () => clearInterval(timer);
};

/** What a live channel watches, as a service returns it after checking access. */
export interface LiveWatch {
	fingerprint: () => Promise<string>;
	concerns: (siteId: number) => boolean;
}

/**
 * A live channel as a GET handler: 401 without a sign-in, the service's 403/404 as plain text,
 * else the stream. The service checks access once; the page re-checks on every re-load.
 */
export async function liveChannel(
	event: Pick<RequestEvent, 'locals' | 'request'> & { cookies?: RequestEvent['cookies'] },
	open: (ctx: ServiceContext) => Promise<LiveWatch>,
	o: Omit<ChangeStreamOptions, 'signal' | 'fingerprint' | 'concerns' | 'stillAllowed'>
): Promise<Response> {
	if (!event.locals.user) return new Response('Sign in first.', { status: 401 });
	let watch: LiveWatch;
	try {
		watch = await open(contextOf(event));
	} catch (e) {
		if (e instanceof ServiceError) return new Response(e.message, { status: e.status });
		throw e;
	}
	return changeStream({
		...o,
		signal: event.request.signal,
		...watch,
		stillAllowed: stillSignedIn(event)
	});
}

export function changeStream(o: ChangeStreamOptions): Response {
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
			const end = () => {
				stop();
				try {
					controller.close();
				} catch {
					// already closed
				}
			};
			stop = watch(o, send, end);
			o.signal.addEventListener('abort', () => {
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
}

/** Runs the notice listener, the poll and the keep-alive until the returned clean-up. */
function watch(o: ChangeStreamOptions, send: (chunk: string) => void, end: () => void): () => void {
	let stopped = false;
	let last: string | null = o.since ?? null;
	let checking = Promise.resolve();
	let pending: ReturnType<typeof setTimeout> | undefined;
	// A notice forces an event only if no event has gone out since it arrived (a poll may have
	// seen the same change first): one save, one event.
	let sentSinceNotice = true;
	// Checks run one after another; the fingerprint reads what is committed (on the board, on a
	// read worker: services/safety/flag-watch.ts), so an event goes out only once the change is
	// readable.
	// `absorb`: the event for this change went out already; only note the fingerprint.
	const check = (force: boolean, absorb = false): Promise<void> => {
		checking = checking
			.then(async () => {
				if (stopped) return;
				if (!absorb && o.stillAllowed && !(await o.stillAllowed())) {
					send(`event: end\ndata: {"reason":"signed-out"}\n\n`);
					end();
					return;
				}
				const now = await o.fingerprint();
				if (stopped) return;
				const changed = last !== null && now !== last;
				last = now;
				if (absorb) return;
				if (changed || (force && !sentSinceNotice)) {
					sentSinceNotice = true;
					send(`event: ${o.event}\ndata: ${JSON.stringify({ at: now })}\n\n`);
				}
			})
			.catch((e: unknown) => console.error(`[vigil] ${o.label} events:`, e));
		return checking;
	};
	const unsubscribe = onFlagChange((siteId) => {
		if (!o.concerns(siteId)) return;
		sentSinceNotice = false;
		if (pending) return;
		pending = setTimeout(() => {
			pending = undefined;
			// Not forced: the notice comes from inside a write transaction, which may still be
			// open (on PostgreSQL the fingerprint does not wait for it). An event now would carry
			// the old state and use up the notice; the commit's own event (below) is the one owed.
			void check(false);
		}, COALESCE_MS);
	});
	// Right after this process commits a flag change: still owed, the event goes out at once,
	// without waiting behind other queries for the fingerprint, which is noted afterwards so the
	// poll does not repeat it. (The poll re-checks access within a second; the page on re-load.)
	const unsubscribeCommitted = onFlagCommitted((siteId) => {
		if (!o.sendOnNotice || stopped || sentSinceNotice || !o.concerns(siteId)) return;
		sentSinceNotice = true;
		send(`event: ${o.event}\ndata: ${JSON.stringify({ committed: siteId })}\n\n`);
		void check(false, true);
	});
	const stopPoll = (o.schedulePoll ?? intervalSchedule)(() => check(false), o.pollMs ?? POLL_MS);
	const keepAlive = setInterval(() => send(': keep-alive\n\n'), KEEP_ALIVE_MS);
	send(`retry: ${RETRY_MS}\n\n`);
	void check(false);
	return () => {
		if (stopped) return;
		stopped = true;
		unsubscribe();
		unsubscribeCommitted();
		stopPoll();
		clearInterval(keepAlive);
		clearTimeout(pending);
	};
}
