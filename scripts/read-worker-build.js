// The read worker in the built server (see vite.config.ts and src/lib/server/reads/worker-entry.ts).
// adapter-node bundles only what the server imports, and a worker thread is started from a URL,
// not imported; so after it has run, Vite's server output (where chunks/read-worker.js and the
// chunks it imports are) is copied to build/read-worker/, and the placeholder in the bundled
// server becomes the worker's URL relative to the file that holds it.
import { cpSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

export const READ_WORKER_PLACEHOLDER = '__VIGIL_READ_WORKER__';

/** @param {string} dir @returns {string[]} */
function jsFiles(dir) {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) return jsFiles(path);
		return path.endsWith('.js') ? [path] : [];
	});
}

/**
 * @param {string} viteServerOutput the SSR build's output directory
 * @param {string} out the adapter's output directory (build/)
 */
export function installReadWorker(viteServerOutput, out) {
	const target = join(out, 'read-worker');
	cpSync(viteServerOutput, target, { recursive: true });
	const worker = join(target, 'chunks', 'read-worker.js');
	let replaced = 0;
	for (const file of jsFiles(join(out, 'server'))) {
		const code = readFileSync(file, 'utf8');
		if (!code.includes(READ_WORKER_PLACEHOLDER)) continue;
		const url = './' + relative(dirname(file), worker).split(sep).join('/');
		writeFileSync(file, code.replaceAll(READ_WORKER_PLACEHOLDER, url));
		replaced++;
	}
	if (replaced === 0) throw new Error('The read worker placeholder is not in the built server.');
}
