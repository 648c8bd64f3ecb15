import { fileURLToPath } from 'node:url';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig, type Plugin } from 'vite';
import { READ_WORKER_PLACEHOLDER } from './scripts/read-worker-build.js';

const WORKER_ENTRY_MODULE = fileURLToPath(
	new URL('./src/lib/server/reads/worker-entry.ts', import.meta.url)
);
const WORKER_SOURCE = fileURLToPath(new URL('./src/lib/server/reads/worker.ts', import.meta.url));

/**
 * The read worker runs in a thread of its own, so the server build must carry it as an entry of
 * its own. In the SSR build, worker-entry.ts becomes a placeholder URL and the worker is emitted
 * as a chunk (chunks/read-worker.js); svelte.config.js copies that output beside the bundled
 * server and writes the real relative URL in place of the placeholder.
 */
function readWorkerPlugin(): Plugin {
	return {
		name: 'vigil-read-worker',
		apply: 'build',
		load(id) {
			if (id !== WORKER_ENTRY_MODULE || this.environment.name !== 'ssr') return null;
			this.emitFile({ type: 'chunk', id: WORKER_SOURCE, fileName: 'chunks/read-worker.js' });
			return (
				`export const READ_WORKER_ENTRY = {` +
				` url: new URL(${JSON.stringify(READ_WORKER_PLACEHOLDER)}, import.meta.url),` +
				` typescript: false };`
			);
		}
	};
}

/** SvelteKit's page renderer, where it sets an ETag on every page it does not stream. */
const KIT_RENDER = '/@sveltejs/kit/src/runtime/server/page/render.js';
const KIT_ETAG = 'headers.set(\'etag\', `"${hash(transformed)}"`);';

/**
 * SvelteKit hashes every page's HTML for an ETag, on the request thread (djb2 in JavaScript, about
 * 4.5 µs a KB, and a flat copy of the page as a string). No Vigil page can ever be answered 304
 * with it: each page carries a fresh CSP nonce (svelte.config.js, csp.mode 'nonce'), so its hash
 * differs on every response, and signed-in pages are `no-store`. The ETag is left out of pages;
 * everything else SvelteKit sends is unchanged. A SvelteKit whose renderer no longer holds that line
 * fails the build here, so an upgrade is looked at rather than passed over.
 */
function noPageEtagPlugin(): Plugin {
	return {
		name: 'vigil-no-page-etag',
		enforce: 'pre',
		transform(code, id) {
			if (!id.split('?')[0]!.endsWith(KIT_RENDER)) return null;
			if (!code.includes(KIT_ETAG)) {
				throw new Error(`${KIT_RENDER} no longer sets the page's ETag as vite.config.ts expects`);
			}
			return {
				code: code.replace(KIT_ETAG, '/* no ETag: each page has its own nonce */'),
				map: null
			};
		}
	};
}

export default defineConfig({
	plugins: [noPageEtagPlugin(), readWorkerPlugin(), sveltekit()],
	server: { port: 3000 }
});
