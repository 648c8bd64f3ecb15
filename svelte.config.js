import adapter from '@sveltejs/adapter-node';
import { installReadWorker } from './scripts/read-worker-build.js';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/**
 * adapter-node, then the read worker beside the server it bundled (scripts/read-worker-build.js).
 * @param {Parameters<typeof adapter>[0] & { out: string }} options
 * @returns {import('@sveltejs/kit').Adapter}
 */
function adapterWithReadWorker(options) {
	const node = adapter(options);
	return {
		...node,
		async adapt(builder) {
			await node.adapt(builder);
			installReadWorker(builder.getServerDirectory(), options.out);
		}
	};
}

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapterWithReadWorker({ out: 'build' }),
		// SvelteKit's origin check on form posts stays on: no csrf.trustedOrigins are added.
		csp: {
			mode: 'nonce',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				// Svelte writes style attributes; inline styles carry no script.
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:'],
				'font-src': ['self'],
				'connect-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		}
	}
};

export default config;
