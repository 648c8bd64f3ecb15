import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** `$lib` as SvelteKit resolves it, so integration tests can call the API's endpoints themselves. */
const lib = fileURLToPath(new URL('./src/lib', import.meta.url));

export default defineConfig({
	test: {
		projects: [
			{
				test: {
					name: 'unit',
					include: ['tests/unit/**/*.test.ts'],
					environment: 'node'
				}
			},
			{
				resolve: { alias: { $lib: lib } },
				test: {
					name: 'integration',
					include: ['tests/integration/**/*.test.ts'],
					environment: 'node',
					testTimeout: 30_000,
					// Opening, migrating and closing a database is quick alone but can wait behind
					// other work on a loaded machine; a slow hook is not a failed test.
					hookTimeout: 60_000,
					// Keys made by tests go to a temporary folder; witness logs only where a test names one.
					setupFiles: ['tests/helpers/test-env.ts']
				}
			},
			{
				test: {
					name: 'e2e',
					include: ['tests/e2e/**/*.test.ts'],
					environment: 'node',
					globalSetup: ['tests/e2e/setup/global.ts'],
					// The built server that fuzz files run in their own process (setup/in-process.ts) is
					// loaded by Node itself, as `npm start` loads it, not transformed by Vite.
					server: { deps: { external: [/\/\.e2e-builds\//, /\/scripts\/serve\.js$/] } },
					testTimeout: 60_000,
					hookTimeout: 120_000,
					fileParallelism: false
				}
			}
		]
	}
});
