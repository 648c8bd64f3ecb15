// A record id in a route: a positive whole number that fits the database's integer ids. Anything
// else (`/sessions/abc`, `/sessions/0`, `/sessions/1e3`) is not a route, so it is a 404 before any
// code runs; pages and endpoints can take `Number(params.id)` as a valid id.
import type { ParamMatcher } from '@sveltejs/kit';

export const match: ParamMatcher = (param) => /^[1-9][0-9]{0,14}$/.test(param);
