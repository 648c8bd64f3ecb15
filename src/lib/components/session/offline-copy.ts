// Asks the service worker to keep this session's reduced page for a reload without network
// (src/service-worker.ts); kept again after every change, so the copy holds the latest readings.
import type { CopyMessage } from '$lib/offline/session-copy';

export function keepSessionCopy(path: string): void {
	if (!('serviceWorker' in navigator)) return;
	const message: CopyMessage = { type: 'keep-session-copy', path };
	void navigator.serviceWorker.ready.then((registration) =>
		registration.active?.postMessage(message)
	);
}
