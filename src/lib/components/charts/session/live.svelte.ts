// Listens to a live channel (Server-Sent Events) and re-runs the page's load on each change, as
// the review board does. Call while a component initialises; it stops when the component goes.
import { invalidate } from '$app/navigation';
import { untrack } from 'svelte';

export type LiveState = 'off' | 'connecting' | 'live' | 'reconnecting';

export const LIVE_TEXT: Record<LiveState, string> = {
	off: 'Updates when you reload the page.',
	connecting: 'Connecting…',
	live: 'Live: new readings appear by themselves.',
	reconnecting: 'Reconnecting…'
};

/**
 * `dependency` is what the page's load `depends` on (a new one reconnects); `url` is read at each
 * connection, so it can carry what the page last loaded (the server sends at once if that is old).
 */
export function liveUpdates(
	dependency: () => string,
	url: () => string,
	event: string
): { readonly state: LiveState } {
	let state = $state<LiveState>('off');
	$effect(() => {
		const dep = dependency();
		let source: EventSource | undefined;
		let retry: ReturnType<typeof setTimeout> | undefined;
		let dropped = false;
		const connect = () => {
			state = dropped ? 'reconnecting' : 'connecting';
			source = new EventSource(untrack(url));
			source.onopen = () => {
				state = 'live';
				// Changes made while we were away sent no event: read again.
				if (dropped) void invalidate(dep);
				dropped = false;
			};
			source.onerror = () => {
				state = 'reconnecting';
				dropped = true;
				// The browser retries by itself unless the server refused (signed out, say).
				if (source?.readyState === EventSource.CLOSED) {
					retry = setTimeout(() => {
						void invalidate(dep);
						connect();
					}, 5_000);
				}
			};
			source.addEventListener(event, () => void invalidate(dep));
		};
		connect();
		return () => {
			source?.close();
			clearTimeout(retry);
		};
	});
	return {
		get state() {
			return state;
		}
	};
}
