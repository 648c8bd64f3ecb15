// Moved to src/lib/domain/time (one time module). Kept only so branches in flight still compile;
// import from domain/time instead. Remove once no branch imports it.
import { siteDate } from '../../../domain/time';

export { CLOCK_SKEW_MS, isInFuture } from '../../../domain/time';

/** @deprecated siteDate(now, timeZone) from domain/time. */
export const siteToday = (timeZone: string, now: Date): string => siteDate(now, timeZone);
