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

export default defineConfig({
	plugins: [readWorkerPlugin(), sveltekit()],
	server: { port: 3000 }
});
