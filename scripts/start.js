// `npm start`: build when needed, then serve the built app on the embedded database.
import { buildIfNeeded } from './build-if-needed.js';
import { serve } from './serve.js';

try {
	buildIfNeeded();
} catch (e) {
	console.error(`Vigil: ${e instanceof Error ? e.message : String(e)}`);
	process.exit(1);
}

await serve('build');
console.log(`Vigil is serving ${process.env.ORIGIN}`);
