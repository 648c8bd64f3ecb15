// Moved to $lib/domain/time (one time module). Kept only so branches in flight still compile;
// import from $lib/domain/time instead. Remove once no branch imports it.
export { formatLocal, toLocalClock, toLocalInput, zoneAbbreviation } from './domain/time';
