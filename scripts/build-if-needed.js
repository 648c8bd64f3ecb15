// Builds the app when build/ is missing or older than any source it is made from.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const SOURCES = [
	'src',
	'migrations',
	'static',
	'svelte.config.js',
	'vite.config.ts',
	'package.json'
];

/** @param {string} path @returns {number} */
function newestMtime(path) {
	if (!existsSync(path)) return 0;
	const stat = statSync(path);
	if (!stat.isDirectory()) return stat.mtimeMs;
	let newest = stat.mtimeMs;
	for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
	return newest;
}

/** @param {string} [root] @returns {boolean} true when it built */
export function buildIfNeeded(root = process.cwd()) {
	const built = join(root, 'build', 'index.js');
	const builtAt = existsSync(built) ? statSync(built).mtimeMs : 0;
	const sourcesAt = Math.max(...SOURCES.map((s) => newestMtime(join(root, s))));
	if (builtAt >= sourcesAt) return false;
	console.log(
		builtAt === 0 ? 'Vigil: building the app (first start)…' : 'Vigil: sources changed, rebuilding…'
	);
	const result = spawnSync(
		process.execPath,
		[join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'],
		{
			cwd: root,
			// Always the production build users run: a test runner sets NODE_ENV=test, which would give
			// Svelte's development code (larger, slower) to the browser tests and the bench.
			env: { ...process.env, NODE_ENV: 'production' },
			stdio: ['ignore', 'inherit', 'inherit']
		}
	);
	if (result.status !== 0) {
		throw new Error('The build failed; see the messages above.');
	}
	return true;
}
