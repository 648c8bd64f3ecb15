// Every door into Vigil, read from the code itself: the JSON API's registry, the page routes and
// the other endpoints under src/routes, and the CLI's commands. The access matrix
// (src/lib/access/matrix.ts) must name each of them; tests/e2e/access-matrix.test.ts calls them.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { apiOperations } from '../../src/lib/server/api/routes';
import { COMMANDS } from '../../src/lib/server/cli/commands';
import type { DoorKind } from '../../src/lib/access/matrix';
import { actionsOf } from './form-actions';

export interface Door {
	/** The matrix key: 'GET /api/v1/participants/{id}', 'GET /participants/[id=id]', 'vigil backup'. */
	key: string;
	kind: DoorKind;
	method: string;
	/** The route as written (OpenAPI braces for the API, SvelteKit brackets elsewhere). */
	path: string;
	/** A form action's name ('default' posts to the page itself) and the fields its code reads. */
	action?: { name: string; fields: string[] };
}

/** The matrix key of a form action: `POST /route?/name`, or `POST /route` for the default. */
export const actionKey = (route: string, name: string) =>
	name === 'default' ? `POST ${route}` : `POST ${route}?/${name}`;

const ROUTES = join(process.cwd(), 'src', 'routes');

function walk(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
		e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]
	);
}

const routeOf = (file: string) => '/' + relative(ROUTES, file).split(sep).slice(0, -1).join('/');

/** Every form action of every page (SvelteKit `?/name` POSTs). */
export function formActionDoors(): Door[] {
	return walk(ROUTES)
		.filter((f) => f.endsWith('+page.server.ts'))
		.flatMap((f) => actionsOf(f, routeOf(f)))
		.map((a) => ({
			key: actionKey(a.route, a.name),
			kind: 'action' as const,
			method: 'POST',
			path: a.route,
			action: { name: a.name, fields: a.fields }
		}));
}

/**
 * Pages (their GET), their form actions, endpoints outside the JSON API (exports and live
 * streams), API operations.
 */
export function httpDoors(now = new Date()): Door[] {
	const files = walk(ROUTES);
	const pages = [
		...new Set(files.filter((f) => /\+page\.(svelte|server\.ts)$/.test(f)).map(routeOf))
	].map((path) => ({ key: `GET ${path}`, kind: 'page' as const, method: 'GET', path }));
	const endpoints = files
		.filter((f) => f.endsWith('+server.ts') && !routeOf(f).startsWith('/api/v1'))
		.flatMap((f) => {
			const path = routeOf(f);
			const text = readFileSync(f, 'utf8');
			const kind: DoorKind = /liveChannel|text\/event-stream/.test(text) ? 'stream' : 'export';
			return [...text.matchAll(/export const (GET|POST|PUT|PATCH|DELETE)\b/g)].map((m) => ({
				key: `${m[1]} ${path}`,
				kind,
				method: m[1]!,
				path
			}));
		});
	const api = apiOperations(now).map((op) => ({
		key: `${op.method.toUpperCase()} ${op.path}`,
		kind: 'api' as const,
		method: op.method.toUpperCase(),
		path: op.path
	}));
	return [...pages, ...formActionDoors(), ...endpoints, ...api].sort((a, b) =>
		a.key.localeCompare(b.key)
	);
}

export function cliDoors(): Door[] {
	return COMMANDS.map((c) => ({
		key: `vigil ${c.name}`,
		kind: 'cli' as const,
		method: 'CLI',
		path: c.name
	}));
}
