// A Vigil of a test file's own, run inside the test's process: the built server (SvelteKit's
// `Server` and manifest, exactly as adapter-node bundled them) answers `Request`s handed to it
// directly, without sockets, so a refused request costs what the app spends on it and a fuzz can
// send hundreds of cases per endpoint. The same app also listens on a real port, served as
// `npm start` serves it (scripts/serve.js: adapter-node's handler and the headers every response
// carries), for the cases that go over a socket.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { request as httpRequest, type Server as HttpServer } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inject } from 'vitest';
import { createPostgresDatabase, onPostgres } from '../../helpers/database';

interface KitServer {
	init(opts: { env: Record<string, string> }): Promise<void>;
	respond(
		request: Request,
		opts: { getClientAddress: () => string; platform?: unknown }
	): Promise<Response>;
}

export interface InProcessServer {
	/** The origin requests are addressed to; the real socket listens there too. */
	base: string;
	/** The server's SQLite file, or '' on PostgreSQL. */
	dbFile: string;
	/** The server's PostgreSQL database, or ''. */
	databaseUrl: string;
	password: string;
	/** Answers a request in this process, as adapter-node does for one from a socket. */
	respond: (request: Request) => Promise<Response>;
	/** Sends the request over a new connection to the real socket (no keep-alive to race). */
	overSocket: (request: Request) => Promise<Response>;
	stop: () => Promise<void>;
}

/**
 * Node's own loader, not Vite's (vitest.config.ts externalises the build and serve.js): the build
 * runs as `npm start` runs it, and its chunks are one set of modules shared by the direct path
 * and the socket's handler.
 */
const nativeImport = (url: string) =>
	import(/* @vite-ignore */ url) as Promise<Record<string, unknown>>;

function freePort(): Promise<number> {
	return new Promise((done) => {
		const srv = createServer().listen(0, '127.0.0.1', () => {
			const a = srv.address();
			srv.close(() => done(typeof a === 'object' && a ? a.port : 0));
		});
	});
}

/** A chunk of the bundled server by the name Rollup gave it (`index.js-<hash>.js`). */
function chunk(serverDir: string, prefix: string): string {
	const dir = join(serverDir, 'server', 'chunks');
	const file = readdirSync(dir).find((f) => f.startsWith(prefix) && f.endsWith('.js'));
	if (!file) throw new Error(`No ${prefix}*.js in ${dir}: has adapter-node's layout changed?`);
	return pathToFileURL(join(dir, file)).href;
}

/**
 * Starts the built app (the global set-up's private copy of the build) in this process on a fresh
 * demo database. One per process, since the app keeps its database in a module: vitest gives
 * each test file a process of its own.
 */
export async function startInProcessServer(
	label: string,
	env: Record<string, string> = {}
): Promise<InProcessServer> {
	const serverDir = resolve(dirname(inject('serverEntry')));
	const dir = mkdtempSync(join(tmpdir(), `vigil-${label}-`));
	const port = await freePort();
	const base = `http://127.0.0.1:${port}`;
	const password = `${label}-demo-password`;
	const dbFile = join(dir, 'vigil.db');
	const databaseUrl = onPostgres ? await createPostgresDatabase(label.replace(/-/g, '_')) : '';
	Object.assign(process.env, {
		PORT: String(port),
		HOST: '127.0.0.1',
		ORIGIN: base,
		VIGIL_DB: dbFile,
		VIGIL_DATABASE_URL: databaseUrl,
		VIGIL_KEY_DIR: join(dir, 'keys'),
		VIGIL_SIGNING_KEY: '',
		VIGIL_WITNESS_FILE: '',
		VIGIL_DEMO: '1',
		VIGIL_DEMO_PASSWORD: password,
		...env
	});
	const { S: Server } = (await nativeImport(chunk(serverDir, 'index.js-'))) as {
		S: new (manifest: unknown) => KitServer;
	};
	const { m: manifest } = await nativeImport(chunk(serverDir, 'manifest.js-'));
	const kit = new Server(manifest);
	// Runs the app's `init` hook once (start-up, migrations, the demo seed) for both paths.
	await kit.init({ env: process.env as Record<string, string> });
	const { serve } = (await nativeImport(pathToFileURL(resolve('scripts', 'serve.js')).href)) as {
		serve: (buildDir: string) => Promise<HttpServer>;
	};
	const socket = await serve(serverDir);
	const respond = (request: Request) =>
		kit.respond(request, { getClientAddress: () => '127.0.0.1', platform: {} });
	const overSocket = async (request: Request): Promise<Response> => {
		const body = Buffer.from(await request.arrayBuffer());
		const headers = Object.fromEntries(request.headers);
		if (request.method !== 'GET') headers['content-length'] = String(body.length);
		return new Promise((done, fail) => {
			const req = httpRequest(
				request.url,
				{ method: request.method, headers, agent: false },
				(res) => {
					const chunks: Buffer[] = [];
					res.on('data', (c: Buffer) => chunks.push(c));
					res.on('end', () => {
						const out = new Headers();
						for (const [k, v] of Object.entries(res.headers)) {
							for (const one of Array.isArray(v) ? v : v === undefined ? [] : [v]) {
								out.append(k, one);
							}
						}
						const status = res.statusCode ?? 0;
						const empty = status === 204 || status === 304;
						done(new Response(empty ? null : Buffer.concat(chunks), { status, headers: out }));
					});
					res.on('error', fail);
				}
			);
			req.on('error', fail);
			req.end(body);
		});
	};
	const stop = async () => {
		socket.closeAllConnections();
		await new Promise((done) => socket.close(done));
		rmSync(dir, { recursive: true, force: true });
	};
	return {
		base,
		dbFile: onPostgres ? '' : dbFile,
		databaseUrl,
		password,
		respond,
		overSocket,
		stop
	};
}
