// Serves a built Vigil (adapter-node's handler) behind the headers every response needs, static
// files included: SvelteKit's hooks never see the files in build/client, so `nosniff` and HSTS are
// set here, before any handler writes.
import { createServer } from 'node:http';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** One year with subdomains (ASVS 3.4.1); only meaningful, and only sent, over https. */
const HSTS = 'max-age=31536000; includeSubDomains';

/** @param {string | undefined} raw */
function bodyLimitBytes(raw) {
	const kb = raw === undefined || raw === '' ? 512 : Number(raw);
	if (!Number.isFinite(kb) || kb <= 0) {
		throw new Error(`VIGIL_BODY_LIMIT_KB must be a positive number, got "${raw}"`);
	}
	return Math.round(kb * 1024);
}

/** @param {string} buildDir */
export async function serve(buildDir) {
	process.env.PORT ??= '3000';
	process.env.HOST ??= '0.0.0.0';
	// adapter-node assumes https without ORIGIN, which breaks form posts over plain http.
	process.env.ORIGIN ??= `http://localhost:${process.env.PORT}`;
	// The adapter refuses larger streamed bodies with 413; the hooks answer declared ones first.
	process.env.BODY_SIZE_LIMIT = String(bodyLimitBytes(process.env.VIGIL_BODY_LIMIT_KB));
	const https = process.env.ORIGIN.startsWith('https:');
	const { handler } = await import(pathToFileURL(resolve(buildDir, 'handler.js')).href);
	const server = createServer((req, res) => {
		res.setHeader('X-Content-Type-Options', 'nosniff');
		if (https) res.setHeader('Strict-Transport-Security', HSTS);
		handler(req, res, () => {
			res.statusCode = 404;
			res.end('Not found');
		});
	});
	await new Promise((done) =>
		server.listen(Number(process.env.PORT), process.env.HOST, () => done(undefined))
	);
	const stop = () => {
		server.close(() => process.exit(0));
		server.closeAllConnections();
		setTimeout(() => process.exit(0), 2_000).unref();
	};
	process.once('SIGTERM', stop);
	process.once('SIGINT', stop);
	return server;
}

// `node scripts/serve.js [BUILD_DIR]`: serve that build (default ./build).
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	await serve(process.argv[2] ?? 'build');
	console.log(`Vigil is serving ${process.env.ORIGIN}`);
}
