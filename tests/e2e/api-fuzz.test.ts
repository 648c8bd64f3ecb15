// Property-based fuzzing (fast-check) of every write of the JSON API, at least 500 cases each
// (VIGIL_FUZZ_RUNS; `npm run fuzz` runs 10,000). The built app runs in this test's process
// (setup/in-process.ts) on a demo database of its own (a fuzzed body may lock the study or mark a
// session entered in error, which must not reach the other files' shared server); most cases are
// handed to it directly, a few go over a real socket.
//
// Whatever arrives (JSON of any shape, the operation's real fields holding nasty values or
// plausible ones, text that is not JSON, the wrong content type; the path naming the role's own
// record, another site's, or none) the answer is never a 5xx; a refusal is the one JSON error
// shape, a 400 or 422 on a JSON body names the fields; a refused request leaves no audit entry
// (every change writes one in its transaction) and, when a whole batch was refused, the digest of
// every clinical table is unchanged; an accepted write left its audit entry.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiOperations, type ApiOperation } from '../../src/lib/server/api/routes';
import {
	BATCH,
	DataGuard,
	NASTY,
	PLAUSIBLE,
	RUNS,
	Tallies,
	recordId,
	shown,
	watchDatabase,
	judgeBatch,
	type Watch
} from './setup/fuzz';
import { recordIds, type Ids } from './setup/fuzz-records';
import { startInProcessServer, type InProcessServer } from './setup/in-process';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Body =
	| { kind: 'json'; value: unknown }
	| { kind: 'text'; text: string; type: string }
	| { kind: 'none' };

let server: InProcessServer;
let watch: Watch;
let guard: DataGuard;
let ids: Ids;
const cookies = new Map<string, string>();
const tallies = new Tallies();
const started = Date.now();

/** Who sends each write: a role allowed to, so the body is parsed rather than refused at once. */
function roleFor(op: ApiOperation): string | null {
	if (op.public) return null;
	if (/\/(flags|signatures|freeze|unfreeze)/.test(op.path)) return 'investigator';
	if (/\/studies\//.test(op.path)) return 'admin';
	if (/\/(queries|source-verifications)/.test(op.path)) return 'monitor';
	return 'coordinator';
}

/** Zod 4's definition of a schema, for walking its fields. */
function defOf(schema: unknown): Json | undefined {
	return (schema as { _zod?: { def?: Json } } | undefined)?._zod?.def;
}

/** The fields of a body schema (through unions, intersections, pipes and wrappers), by name. */
function fieldsOf(schema: unknown, depth = 0): Map<string, unknown> {
	const out = new Map<string, unknown>();
	const def = defOf(schema);
	if (!def || depth > 6) return out;
	const add = (s: unknown) => fieldsOf(s, depth + 1).forEach((v, k) => out.set(k, v));
	switch (def.type) {
		case 'object':
			for (const [k, v] of Object.entries(def.shape as Record<string, unknown>)) out.set(k, v);
			break;
		case 'union':
			(def.options as unknown[]).forEach(add);
			break;
		case 'intersection':
			add(def.left);
			add(def.right);
			break;
		case 'pipe':
			add(def.in);
			break;
		default:
			if (def.innerType) add(def.innerType);
	}
	return out;
}

/** The element schema of an array field (through wrappers), if the field is an array of objects. */
function arrayOfObjects(schema: unknown, depth = 0): unknown {
	const def = defOf(schema);
	if (!def || depth > 6) return undefined;
	if (def.type === 'array') return fieldsOf(def.element).size > 0 ? def.element : undefined;
	if (def.type === 'pipe') return arrayOfObjects(def.in, depth + 1);
	return def.innerType ? arrayOfObjects(def.innerType, depth + 1) : undefined;
}

const leaf: fc.Arbitrary<unknown> = fc.oneof(
	{
		weight: 4,
		arbitrary: fc.constantFrom(...NASTY, true, false, null, -1, 0, 1e308, -0.5, [], {})
	},
	{ weight: 3, arbitrary: fc.constantFrom(...PLAUSIBLE, 1, 2, 120, 80, 36.8, true, false) },
	{ weight: 2, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
	{ weight: 1, arbitrary: fc.integer({ min: -1_000_000, max: 1_000_000 }) },
	{ weight: 1, arbitrary: fc.string({ maxLength: 30, unit: 'grapheme' }) }
);

/** The schema a field is read with, through optional, default, preprocess and the like. */
function unwrap(schema: unknown, depth = 0): Json | undefined {
	const def = defOf(schema);
	if (!def || depth > 8) return def;
	if (def.innerType) return unwrap(def.innerType, depth + 1);
	if (def.type === 'pipe') {
		return unwrap(defOf(def.in)?.type === 'transform' ? def.out : def.in, depth + 1);
	}
	return def;
}

/** Yesterday at the site (the demo's are UTC-near), as a date and as a local date-time. */
const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

/** A well-formed value of the field's own kind: one of its enum's values, a small number, a date. */
function typedValue(name: string, schema: unknown): fc.Arbitrary<unknown> | null {
	const def = unwrap(schema);
	const own = /^(entityId|dosingSessionId|visitId|formVersionId)$/.test(name)
		? {
				entityId: ids.own.vitals,
				dosingSessionId: ids.own['dosing-sessions'],
				visitId: ids.own.visits,
				formVersionId: ids.own['consent-form-versions']
			}[name]
		: undefined;
	if (own !== undefined) return fc.constantFrom(own, String(own));
	if (def?.type === 'enum') {
		return fc.constantFrom(...Object.values(def.entries as Record<string, unknown>));
	}
	if (def?.type === 'literal') return fc.constantFrom(...(def.values as unknown[]));
	if (def?.type === 'number' || def?.type === 'int') return fc.integer({ min: 0, max: 200 });
	if (def?.type === 'boolean') return fc.boolean();
	if (/At$|On$|^(start|stop|t0|date)$/.test(name)) {
		return fc.constantFrom(yesterday, `${yesterday}T09:30`, `${yesterday}T09:30:00Z`, '10:30');
	}
	if (/reason|text|description|note|verbatim|summary|name|label/i.test(name)) {
		return fc.constantFrom(
			'Checked against the source notes at the visit.',
			'Sertraline',
			'headache after the dose'
		);
	}
	return null;
}

/** A body with some of the schema's fields, each nasty, typed, plausible or arbitrary (nested alike). */
function objectOf(fields: Map<string, unknown>, depth: number): fc.Arbitrary<Json> {
	if (fields.size === 0) return fc.dictionary(fc.string({ maxLength: 12 }), leaf, { maxKeys: 4 });
	const entries = [...fields.entries()].map(([name, schema]) => {
		const element = depth < 2 ? arrayOfObjects(schema) : undefined;
		const nested = depth < 2 ? fieldsOf(schema) : new Map();
		const typed = typedValue(name, schema);
		const scalar = typed
			? fc.oneof({ weight: 2, arbitrary: leaf }, { weight: 3, arbitrary: typed })
			: leaf;
		const value = element
			? fc.oneof(leaf, fc.array(objectOf(fieldsOf(element), depth + 1), { maxLength: 3 }))
			: nested.size > 0
				? fc.oneof(leaf, objectOf(nested, depth + 1))
				: scalar;
		return [name, value] as const;
	});
	return fc
		.tuple(
			// Most fields present, so some bodies are whole enough to be accepted.
			fc.oneof(
				fc.subarray(entries.map(([name]) => name)),
				fc.constant(entries.map(([name]) => name))
			),
			fc.tuple(...entries.map(([, v]) => v)),
			fc.dictionary(fc.constantFrom('__proto__', 'extra', 'id', 'siteId', 'userId'), leaf, {
				maxKeys: 1
			})
		)
		.map(([chosen, values, stray]) => {
			const body: Json = { ...stray };
			entries.forEach(([name], i) => {
				if (chosen.includes(name)) body[name] = values[i];
			});
			return body;
		});
}

/** Every field of its own kind, then one or two of them made nasty: the rules past parsing. */
function nearlyValid(fields: Map<string, unknown>): fc.Arbitrary<Json> {
	const typed = [...fields.entries()]
		.map(([name, schema]) => [name, typedValue(name, schema)] as const)
		.filter((e): e is readonly [string, fc.Arbitrary<unknown>] => e[1] !== null);
	if (typed.length === 0) return objectOf(fields, 0);
	return fc
		.tuple(
			fc.tuple(...typed.map(([, v]) => v)),
			fc.subarray(
				typed.map(([name]) => name),
				{ maxLength: Math.min(2, typed.length) }
			),
			fc.array(leaf, { minLength: 2, maxLength: 2 })
		)
		.map(([values, spoiled, nasty]) => {
			const body: Json = {};
			typed.forEach(([name], i) => {
				const at = spoiled.indexOf(name);
				body[name] = at >= 0 ? nasty[at] : values[i];
			});
			return body;
		});
}

function bodyFor(op: ApiOperation): fc.Arbitrary<Body> {
	const fields = fieldsOf(op.body?.schema);
	return fc.oneof(
		{ weight: 4, arbitrary: nearlyValid(fields).map((value): Body => ({ kind: 'json', value })) },
		{ weight: 6, arbitrary: objectOf(fields, 0).map((value): Body => ({ kind: 'json', value })) },
		{
			weight: 2,
			arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value): Body => ({ kind: 'json', value }))
		},
		{
			weight: 1,
			arbitrary: fc
				.oneof(
					fc.string({ maxLength: 40 }),
					fc.constantFrom('{', '{"a":', '[1,]', '\u0000', 'null x')
				)
				.map((text): Body => ({ kind: 'text', text, type: 'application/json' }))
		},
		{
			weight: 1,
			arbitrary: fc
				.tuple(
					fc.constantFrom(
						'text/plain',
						'application/x-www-form-urlencoded',
						'multipart/form-data',
						'application/json; charset=latin1'
					),
					fc.string({ maxLength: 40 })
				)
				.map(([type, text]): Body => ({ kind: 'text', text, type }))
		},
		{ weight: 1, arbitrary: fc.constant<Body>({ kind: 'none' }) }
	);
}

/** A body with every field the operation reads set to text of NUL characters. */
function nulBody(op: ApiOperation): Body {
	const fields = [...fieldsOf(op.body?.schema).keys()];
	const value = Object.fromEntries(
		(fields.length ? fields : ['reason']).map((f) => [f, '\u0000\u0000\u0000'])
	);
	return { kind: 'json', value };
}

const isFormType = (body: Body) =>
	body.kind === 'text' &&
	/^(text\/plain|application\/x-www-form-urlencoded|multipart\/form-data)/.test(body.type);

interface Answer {
	status: number;
	json: Json | null;
	requestId: string;
}

async function call(
	role: string | null,
	method: string,
	path: string,
	body: Body,
	socket: boolean
): Promise<Answer> {
	const headers: Record<string, string> = role ? { cookie: cookies.get(role)! } : {};
	let payload: string | undefined;
	if (body.kind === 'json') {
		headers['content-type'] = 'application/json';
		payload = JSON.stringify(body.value) ?? 'null';
	} else if (body.kind === 'text') {
		headers['content-type'] = body.type;
		payload = body.text;
	}
	const init = { method: method.toUpperCase(), headers, body: payload };
	const url = `${server.base}${path}`;
	const request = new Request(url, init);
	const res = socket ? await server.overSocket(request) : await server.respond(request);
	const text = await res.text();
	let json: Json | null = null;
	try {
		json = JSON.parse(text) as Json;
	} catch {
		json = null;
	}
	return { status: res.status, json, requestId: res.headers.get('x-request-id') ?? '' };
}

async function signIn(email: string): Promise<string> {
	const res = await server.respond(
		new Request(`${server.base}/login`, {
			method: 'POST',
			headers: { origin: server.base, 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ email, password: server.password })
		})
	);
	const match = /vigil_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '');
	if (!match) throw new Error(`sign-in of ${email} failed: ${res.status}`);
	return `vigil_session=${match[1]}`;
}

/** Writes that, when a body happens to be valid, close doors for the others: fuzzed last. */
const LAST =
	/\/(lock|unlock|approve|decline|freeze|status|entered-in-error|withdrawal|revocation)$/;
const writes = apiOperations(new Date())
	.filter((op) => op.method !== 'get')
	.sort(
		(a, b) =>
			Number(LAST.test(a.path)) - Number(LAST.test(b.path)) ||
			Number(/lock/.test(a.path)) - Number(/lock/.test(b.path))
	);

describe('fuzzing the JSON API writes', () => {
	beforeAll(async () => {
		server = await startInProcessServer('api-fuzz', {
			VIGIL_DEMO_PARTICIPANTS: '6',
			VIGIL_SECOND_FACTOR_ROLES: 'none',
			// The safety clock raises flags on its own: once at start, then not during the fuzz.
			VIGIL_SAFETY_CLOCK_SECONDS: '86400'
		});
		watch = watchDatabase(server);
		guard = new DataGuard(watch);
		for (const role of ['coordinator', 'investigator', 'monitor', 'admin']) {
			cookies.set(role, await signIn(`${role}@demo.vigil.test`));
		}
		ids = await recordIds(watch);
		// A live self-report link, so the participant's door reaches its answers.
		const link = await call(
			'coordinator',
			'post',
			`/api/v1/participants/${ids.own.participants}/epro-links`,
			{ kind: 'json', value: { instrument: 'PHQ9', mode: 'link' } },
			false
		);
		ids.own.epro =
			(link.json?.token as string | undefined) ?? (link.json?.link?.token as string | undefined);
	}, 240_000);

	afterAll(async () => {
		console.log(tallies.report('API fuzz', (Date.now() - started) / 1000));
		await watch?.close();
		await server?.stop();
	});

	it('covers every write in the API registry', () => {
		expect(writes.length).toBeGreaterThan(45);
		expect(ids.own.participants && ids.foreign.participants && ids.own.epro).toBeTruthy();
	});

	for (const op of writes) {
		const endpoint = `${op.method.toUpperCase()} ${op.path}`;
		it(`${endpoint}: never a 5xx, errors name fields, refusals change nothing`, async () => {
			const role = roleFor(op);
			const kind = /\/([a-z-]+)\/\{(?:id|token)\}/.exec(op.path)?.[1];
			const idKey = kind === 'epro' ? 'epro' : kind;
			const pathArb = idKey
				? recordId(ids.own[idKey], ids.foreign[idKey]).map((id) =>
						op.path.replace(/\{(id|token)\}/, id)
					)
				: fc.constant(op.path);
			const one = fc.tuple(
				bodyFor(op),
				pathArb,
				fc.nat(39).map((n) => n === 39)
			);
			const tally = tallies.of(endpoint);
			await fc.assert(
				fc.asyncProperty(fc.array(one, { minLength: BATCH, maxLength: BATCH }), (batch) =>
					judgeBatch(batch, {
						watch,
						guard,
						tally,
						signedIn: Boolean(role),
						send: ([body, path, socket]) => call(role, op.method, path, body, socket),
						describe: ([body, path], res) => `${res.status} ${path} ${shown(body)}`,
						overSocket: ([, , socket]) => socket,
						refused: (res) => res.status >= 400,
						onRefusal: ([body], res, what) => {
							// SvelteKit refuses a form-typed POST without an Origin (CSRF) before Vigil sees it.
							if (res.status === 403 && res.json === null && isFormType(body)) return;
							expect(res.json?.error?.status, what).toBe(res.status);
							expect(Array.isArray(res.json?.error?.fields), what).toBe(true);
							if ((res.status === 400 || res.status === 422) && body.kind === 'json') {
								expect(res.json!.error.fields.length, what).toBeGreaterThan(0);
							}
						}
					})
				),
				{
					numRuns: Math.ceil(RUNS / BATCH),
					// Always tried, over the socket too: NUL in every field (PostgreSQL's text cannot hold it).
					examples: [
						[
							Array.from(
								{ length: BATCH },
								(_, i) =>
									[
										nulBody(op),
										op.path.replace(/\{(id|token)\}/, String((idKey && ids.own[idKey]) ?? 999999)),
										i % 2 === 0
									] as [Body, string, boolean]
							)
						]
					]
				}
			);
			expect(tally.cases, `${endpoint} ran ${tally.cases} cases`).toBeGreaterThanOrEqual(RUNS);
		}, 1_800_000);
	}
});
