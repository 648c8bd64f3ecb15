// The review board's live channel (Server-Sent Events). It carries no clinical data, only "flags
// changed at one of your sites": the board then re-runs its load, which checks access as usual.
// Relative imports (not $lib) so the integration test can import this handler without Vite.
import type { RequestHandler } from '@sveltejs/kit';
import { vigil } from '../../../lib/server/app';
import { ServiceError } from '../../../lib/server/errors';
import { flagsFingerprint } from '../../../lib/server/repositories/flags';
import { clinicalReadScope } from '../../../lib/server/services/clinical-access';
import { onFlagChange } from '../../../lib/server/services/flag-events';

/** Another process (the CLI) writes without our in-process notice: the fingerprint catches it. */
const POLL_MS = 1_000;
/** Proxies and browsers drop a silent connection; a comment line keeps it open. */
const KEEP_ALIVE_MS = 15_000;
/** Saves often raise several flags in one transaction: one event for them all. */
const COALESCE_MS = 50;
/** The browser reconnects this soon after a drop, inside the board's 2-second promise. */
const RETRY_MS = 1_500;

const encoder = new TextEncoder();

export const GET: RequestHandler = ({ locals, request }) => {
	if (!locals.user) return new Response('Sign in first.', { status: 401 });
	let scope: number[] | 'all';
	try {
		scope = clinicalReadScope(locals.user);
	} catch (e) {
		if (e instanceof ServiceError) return new Response(e.message, { status: e.status });
		throw e;
	}
	let stop = () => {};
	const stream = new ReadableStream<Uint8Array>({
		start(controller) {
			stop = watchFlags(scope, request.signal, (chunk) => {
				try {
					controller.enqueue(encoder.encode(chunk));
				} catch {
					// The client went away between a check and its event.
					stop();
				}
			});
			request.signal.addEventListener('abort', () => {
				try {
					controller.close();
				} catch {
					// Already closed by a cancel: nothing left to do.
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
 * Sends `event: flags` when the fingerprint of these sites' flags differs from the last one seen
 * (or always, when forced). The fingerprint query waits for an open write transaction to commit,
 * so an event goes out only once the change is readable, and a notice and the next poll agree.
 */
function fingerprintChecker(
	scope: number[] | 'all',
	send: (chunk: string) => void,
	stopped: () => boolean
) {
	const { db } = vigil();
	let last: string | null = null;
	let checking = Promise.resolve();
	return (force: boolean) => {
		checking = checking
			.then(async () => {
				if (stopped()) return;
				const now = await flagsFingerprint(db, scope);
				if (stopped()) return;
				const changed = last !== null && now !== last;
				last = now;
				if (changed || force) send(`event: flags\ndata: ${JSON.stringify({ at: now })}\n\n`);
			})
			.catch((e: unknown) => console.error('[vigil] review events:', e));
	};
}

/**
 * Watches the flags at these sites until the returned clean-up runs (also on abort): in-process
 * notices, the fingerprint poll, and the keep-alive.
 */
function watchFlags(
	scope: number[] | 'all',
	signal: AbortSignal,
	send: (chunk: string) => void
): () => void {
	let stopped = false;
	let pending: ReturnType<typeof setTimeout> | undefined;
	const check = fingerprintChecker(scope, send, () => stopped);
	const inScope = (siteId: number) => scope === 'all' || scope.includes(siteId);
	const unsubscribe = onFlagChange((siteId) => {
		if (!inScope(siteId) || pending) return;
		pending = setTimeout(() => {
			pending = undefined;
			check(true);
		}, COALESCE_MS);
	});
	const poll = setInterval(() => check(false), POLL_MS);
	const keepAlive = setInterval(() => send(': keep-alive\n\n'), KEEP_ALIVE_MS);

	const stop = () => {
		if (stopped) return;
		stopped = true;
		unsubscribe();
		clearInterval(poll);
		clearInterval(keepAlive);
		clearTimeout(pending);
	};
	signal.addEventListener('abort', stop);
	send(`retry: ${RETRY_MS}\n\n`);
	check(false);
	return stop;
}
