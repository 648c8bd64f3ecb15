// The layers run one way (README, Layout). Every import in src/ is read and resolved to a path;
// each rule names the files it governs and the paths they may not reach, so a new import that
// breaks a layer fails here with the file and the import.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const SRC = join(ROOT, 'src');

function filesUnder(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
		const path = join(dir, e.name);
		if (e.isDirectory()) return filesUnder(path);
		return /\.(ts|js|svelte)$/.test(e.name) ? [path] : [];
	});
}

/** Every module specifier in a file: static imports and re-exports (type-only too), import(). */
export function specifiersOf(text: string): string[] {
	const found: string[] = [];
	const patterns = [
		/\b(?:import|export)\s+(?:type\s+)?[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
		/\bimport\s*['"]([^'"]+)['"]/g,
		/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g
	];
	for (const re of patterns) for (const m of text.matchAll(re)) found.push(m[1]!);
	return found;
}

/** A specifier as a path relative to the repository ('src/lib/…'), or the package name. */
function target(file: string, spec: string): string {
	if (spec.startsWith('$lib/')) return join('src/lib', spec.slice(5));
	if (spec.startsWith('.')) return relative(ROOT, resolve(dirname(file), spec));
	return spec;
}

interface Rule {
	name: string;
	/** Files the rule governs, as repository paths. */
	from: RegExp;
	/** Import targets they may not reach. */
	forbidden: RegExp;
}

const RULES: Rule[] = [
	{
		name: 'the domain is pure: no SvelteKit, Kysely, Svelte or server code',
		from: /^src\/lib\/domain\//,
		forbidden:
			/^(\$app|\$env|kysely|svelte|@sveltejs|better-sqlite3)|^src\/lib\/(server|components|views)\//
	},
	{
		name: 'view models are plain data shared by server and client',
		from: /^src\/lib\/views\//,
		forbidden: /^(\$app|kysely|svelte)|^src\/lib\/(server|components)\//
	},
	{
		name: 'export writers get what they need passed in: no services, no HTTP glue',
		from: /^src\/lib\/server\/export\//,
		forbidden: /^src\/lib\/server\/(services|runtime)\//
	},
	{
		name: 'server code never imports components (view models live in $lib/views)',
		from: /^src\/lib\/server\//,
		forbidden: /^src\/lib\/components\//
	},
	{
		name: 'server-only route modules never import components',
		from: /^src\/routes\/.*\.server\.ts$|^src\/routes\/.*\/\+server\.ts$/,
		forbidden: /^src\/lib\/components\//
	},
	{
		name: 'routes reach the database only through services',
		from: /^src\/routes\//,
		forbidden: /^src\/lib\/server\/(db|repositories)(\/|$)|^kysely$/
	},
	{
		name: 'repositories hold queries only: they never import the audit log (audit → repositories)',
		from: /^src\/lib\/server\/repositories\//,
		forbidden: /^src\/lib\/server\/(audit|services|runtime|auth|export)\//
	},
	{
		// api/cursor (keyset page cursors) is plain data the services page with, not a door.
		name: 'services never reach the HTTP doors',
		from: /^src\/lib\/server\/services\//,
		forbidden:
			/^(\$app|@sveltejs\/kit)|^src\/lib\/server\/(runtime\/(api-handler|http|sse|export-response|app)|api\/(?!cursor$)[^/]+$)|^src\/routes\//
	}
];

/** Every import that breaks a rule, as "file → import". */
export function breaches(files: Array<{ path: string; text: string }>, rules = RULES) {
	const out: Record<string, string[]> = {};
	for (const rule of rules) {
		const bad: string[] = [];
		for (const f of files) {
			const rel = relative(ROOT, f.path);
			if (!rule.from.test(rel)) continue;
			for (const spec of specifiersOf(f.text)) {
				if (rule.forbidden.test(target(f.path, spec))) bad.push(`${rel} → ${spec}`);
			}
		}
		out[rule.name] = bad;
	}
	return out;
}

const sources = filesUnder(SRC).map((path) => ({ path, text: readFileSync(path, 'utf8') }));

describe('the layers', () => {
	for (const rule of RULES) {
		it(rule.name, () => {
			expect(breaches(sources, [rule])[rule.name]).toEqual([]);
		});
	}

	it('no route takes the database handle from the running app (settings are fine)', () => {
		const reads = sources
			.filter((f) => relative(ROOT, f.path).startsWith('src/routes/'))
			.filter((f) => /vigil\(\)\.db\b|\{[^}]*\bdb\b[^}]*\}\s*=\s*vigil\(\)/.test(f.text))
			.map((f) => relative(ROOT, f.path));
		expect(reads).toEqual([]);
	});

	it('only the config module reads the environment', () => {
		const readers = sources
			.filter((f) => /\bprocess\.env\b/.test(f.text))
			.map((f) => relative(ROOT, f.path))
			.filter((p) => p !== 'src/lib/server/runtime/config.ts');
		expect(readers).toEqual([]);
	});

	it('the rules see a breach (a file planted in each layer)', () => {
		const planted = [
			{
				path: join(SRC, 'lib/server/export/x.ts'),
				text: "import { a } from '../services/audit/exports';"
			},
			{
				path: join(SRC, 'lib/server/services/x.ts'),
				text: "import type { T } from '$lib/components/x/types';"
			},
			{
				path: join(SRC, 'routes/x/+server.ts'),
				text: "import { flagsFingerprint } from '../../lib/server/repositories/flags';"
			},
			{
				path: join(SRC, 'lib/server/repositories/x.ts'),
				text: "export { A } from '../audit/actions';"
			},
			{ path: join(SRC, 'lib/domain/x.ts'), text: "const k = await import('kysely');" }
		];
		const found = Object.values(breaches(planted)).flat();
		expect(found).toEqual(
			expect.arrayContaining([
				'src/lib/server/export/x.ts → ../services/audit/exports',
				'src/lib/server/services/x.ts → $lib/components/x/types',
				'src/routes/x/+server.ts → ../../lib/server/repositories/flags',
				'src/lib/server/repositories/x.ts → ../audit/actions',
				'src/lib/domain/x.ts → kysely'
			])
		);
	});

	it('reads every kind of import', () => {
		expect(
			specifiersOf(
				`import a from 'a';\nimport type { B } from "b";\nexport * from './c';\nimport './d';\nawait import('e');\nimport {\n  f,\n  g\n} from 'fg';`
			)
		).toEqual(expect.arrayContaining(['a', 'b', './c', './d', 'e', 'fg']));
	});
});
