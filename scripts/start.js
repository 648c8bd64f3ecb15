// `npm start`: build when needed, then serve the built app on the embedded database.
import { buildIfNeeded } from './build-if-needed.js';

try {
	buildIfNeeded();
} catch (e) {
	console.error(`Vigil: ${e instanceof Error ? e.message : String(e)}`);
	process.exit(1);
}

process.env.PORT ??= '3000';
process.env.HOST ??= '0.0.0.0';
// adapter-node assumes https without ORIGIN, which breaks form posts over plain http.
process.env.ORIGIN ??= `http://localhost:${process.env.PORT}`;
// A variable, so the type checker does not follow it into the generated server.
const server = '../build/index.js';
await import(server);
console.log(`Vigil is serving ${process.env.ORIGIN}`);
