// Moved to src/lib/domain/time (one time module). Kept only so branches in flight still compile;
// import from domain/time instead. Remove once no branch imports it.
export { parseSiteDateTime, wallClockToInstant, zoneOffsetMs, type SiteTimeResult } from '../time';
