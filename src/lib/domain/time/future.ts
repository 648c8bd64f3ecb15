// 'Not in the future', with the allowance a bedside clock needs.

/**
 * How far in the future an entered time may be: a ward clock or a phone a few minutes ahead of the
 * server should not block a bedside entry, but a wrong day or hour should. [D] Vigil default.
 */
export const CLOCK_SKEW_MS = 5 * 60_000;

/** True when an entered time is later than the server's clock allows. */
export function isInFuture(at: Date | number, now: Date): boolean {
	return (typeof at === 'number' ? at : at.getTime()) > now.getTime() + CLOCK_SKEW_MS;
}
