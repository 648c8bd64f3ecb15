// The session sheet a bedside tablet keeps for a reload without network (src/service-worker.ts).
// Only a dosing session's entry page is kept, in a reduced form the server builds on request
// (no flags, signatures, monitoring or entered-in-error rows: what entering and queueing readings
// needs), never a JSON or API answer. Copies go when the user signs out and after a day.

/** Sent by the service worker when it fetches the reduced copy of a session page. */
export const OFFLINE_COPY_HEADER = 'x-vigil-offline-copy';
/** Set by the service worker on a kept copy: when it was kept (ISO). */
export const COPY_KEPT_AT_HEADER = 'x-vigil-copy-kept-at';

/** A dosing session's own entry page, `/sessions/<id>`: the only page kept for offline use. */
export function isSessionPagePath(path: string): boolean {
	return /^\/sessions\/[1-9]\d{0,15}$/.test(path);
}

/**
 * [D] Vigil default: a dosing session lasts about 8 hours (DOMAIN.md §1), so a copy older than a
 * day belongs to a session that is over and is dropped.
 */
export const COPY_MAX_AGE_MS = 24 * 3_600_000;
/** A tablet follows one session at a time; a few kept sheets cover handovers. */
export const MAX_COPIES = 4;

/** Kept copies to drop: expired ones (or undated), then the oldest beyond MAX_COPIES. */
export function copiesToDrop(
	copies: Array<{ key: string; keptAt: string | null }>,
	now: Date
): string[] {
	const at = (c: { keptAt: string | null }) => (c.keptAt ? Date.parse(c.keptAt) : NaN);
	const fresh = copies.filter((c) => now.getTime() - at(c) <= COPY_MAX_AGE_MS);
	const stale = copies.filter((c) => !fresh.includes(c)).map((c) => c.key);
	const extra = fresh
		.sort((a, b) => at(b) - at(a))
		.slice(MAX_COPIES)
		.map((c) => c.key);
	return [...stale, ...extra];
}

/** Messages the session page sends to the service worker. */
export type CopyMessage = { type: 'keep-session-copy'; path: string };
