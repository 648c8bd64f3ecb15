// Record ids from a request: a route's `[id=id]` segment and an id a form posted. Both pass the
// same test as the route matcher (src/params/id.ts), so no route parses an id its own way.
import type { RequestEvent } from '@sveltejs/kit';
import { match as isRecordId } from '../../../params/id';
import { NotFoundError } from './errors';

/**
 * A record id a form posted: a whole number from 1 up, or NaN, which finds no record on either
 * database (a value such as "5e-324", "Infinity" or "1.5" would otherwise reach an integer column,
 * which PostgreSQL refuses with an error where SQLite finds no row).
 */
export function recordId(raw: unknown): number {
	const s = typeof raw === 'string' ? raw : typeof raw === 'number' ? String(raw) : '';
	return isRecordId(s) ? Number(s) : NaN;
}

/**
 * The record id in a route's `[id=id]` segment (or another named one). The matcher already keeps
 * every other value out of the route; a route without it finds no record rather than a NaN.
 */
export function idParam(event: Pick<RequestEvent, 'params'>, name = 'id'): number {
	const id = recordId((event.params as Record<string, string | undefined>)[name]);
	if (Number.isNaN(id)) throw new NotFoundError();
	return id;
}

/**
 * The study a page's `?study=` names: a record id, or undefined when it is absent or not one (the
 * page then shows its default study).
 */
export function studyParam(url: URL): number | undefined {
	const id = recordId(url.searchParams.get('study'));
	return Number.isNaN(id) ? undefined : id;
}

/**
 * A dashboard's filters from its query (a GET form, so they work without JavaScript): the study,
 * a site code and a dose group, each undefined when not given.
 */
export function dashboardFilters(url: URL) {
	return {
		studyId: studyParam(url),
		siteCode: url.searchParams.get('site')?.trim() || undefined,
		doseGroup: url.searchParams.get('dose')?.trim().slice(0, 60) || undefined
	};
}
