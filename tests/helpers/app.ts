// For integration tests that call SvelteKit endpoints directly: the endpoints read the running
// app's database, so the app is started on a fresh one (SQLite in memory, or a new PostgreSQL
// database) with two sites and the demo protocol, and a request is built as SvelteKit hands it over.
import type { RequestEvent } from '@sveltejs/kit';
import { DEMO_PROTOCOL_JSON } from '../../src/lib/domain/protocol';
import { startVigil } from '../../src/lib/server/runtime/app';
import { readConfig } from '../../src/lib/server/runtime/config';
import { systemContext, type UserActor } from '../../src/lib/server/runtime/context';
import { createSite } from '../../src/lib/server/services/people/sites';
import { loadProtocol } from '../../src/lib/server/services/protocol/studies';
import { createPostgresDatabase, execRaw, onPostgres } from './database';
import type { TestDb } from './db';

/** The app started on a fresh database: sites A1 (Oslo) and B1 (New York), the demo protocol. */
export async function startedApp(): Promise<TestDb> {
	const { db, opened } = await startVigil({
		...readConfig(),
		dbFile: ':memory:',
		databaseUrl: onPostgres ? await createPostgresDatabase() : undefined,
		demo: false
	});
	const system = systemContext(db, 'test');
	const a = await createSite(system, { code: 'A1', name: 'Site A', timezone: 'Europe/Oslo' });
	const b = await createSite(system, { code: 'B1', name: 'Site B', timezone: 'America/New_York' });
	const { study } = await loadProtocol(system, DEMO_PROTOCOL_JSON);
	// The helpers use only the Kysely handle, never the raw driver.
	return {
		db,
		sqlite: undefined as never,
		opened,
		exec: (statements) => execRaw(opened, statements),
		siteA: a.id,
		siteB: b.id,
		system,
		studyId: study.id
	};
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Handler = (event: RequestEvent) => Response | Promise<Response>;
let requests = 0;

/** One API request by a signed-in user, as SvelteKit hands it to the endpoint; JSON in and out. */
export async function callEndpoint(
	handler: Handler,
	user: UserActor,
	opts: {
		method?: string;
		body?: unknown;
		query?: string;
		params?: Record<string, string>;
		type?: string;
	} = {}
): Promise<{ status: number; json: Json; requestId: string }> {
	requests += 1;
	const requestId = `req-endpoint-${requests}`;
	const method = opts.method ?? (opts.body === undefined ? 'GET' : 'POST');
	const url = new URL(`http://localhost/api/v1/x${opts.query ?? ''}`);
	const request = new Request(url, {
		method,
		headers: method === 'GET' ? {} : { 'content-type': opts.type ?? 'application/json' },
		body: method === 'GET' ? undefined : JSON.stringify(opts.body ?? {})
	});
	const event = {
		request,
		url,
		params: opts.params ?? {},
		locals: { user, requestId, mustChangePassword: false, mustEnrolSecondFactor: false }
	} as unknown as RequestEvent;
	const res = await handler(event);
	return { status: res.status, json: (await res.json()) as Json, requestId };
}
