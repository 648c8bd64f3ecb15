// Property-based fuzzing (fast-check) of every HTML form action, at least 500 cases each
// (VIGIL_FUZZ_RUNS; `npm run fuzz` runs 10,000). The built app runs in this test's process
// (setup/in-process.ts) on a demo database of its own; most cases are handed to it directly, a few
// go over a real socket. Form bodies are posted to `?/action` as a signed-in user of a role the
// access matrix lets through (or signed out, for the public forms), with the page's origin,
// naming the role's own record, another site's, or none. Whatever the fields hold (NUL and
// control characters, hex and exponent numbers, impossible dates, formula text, huge or repeated
// values, unknown fields, plausible values, record ids of every kind), the answer is never a 5xx;
// a refusal (4xx, or sent to sign in) wrote no audit entry; a batch of cases that wrote no audit
// entry left the digest of every clinical table as it was (every change writes one in its
// transaction); a 400 or 422 names the fields. Most cases post as `use:enhance` does
// (SvelteKit's JSON answer, whose field errors are read), some as a browser without JavaScript
// (the whole page is rendered with the failure), some as multipart form data.
import { parse as devalue } from 'devalue';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_MATRIX, type DoorRule } from '../../src/lib/access/matrix';
import type { Role } from '../../src/lib/roles';
import { formActionDoors, type Door } from '../helpers/doors';
import {
	BATCH,
	DataGuard,
	NASTY,
	RUNS,
	Tallies,
	fieldText,
	recordId,
	shown,
	watchDatabase,
	judgeBatch,
	type Watch
} from './setup/fuzz';
import { recordIds, type Ids } from './setup/fuzz-records';
import { startInProcessServer, type InProcessServer } from './setup/in-process';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Signing out and signing out everywhere end the session the fuzz posts with; they read no field. */
const ENDS_SESSION = /^POST \/(logout|account\/tokens\?\/everywhere)$/;
/**
 * Actions that read no field and whose every case is a costly read: the audit verification
 * (0.1-0.5 s a run, the whole chain and the data against it). A few cases show it never fails
 * and changes nothing; hundreds would test nothing more.
 */
const READS_NO_FIELD: Record<string, number> = { 'POST /admin?/verify': 40 };
/** Actions that, when a body happens to be valid, close doors for the others: fuzzed last. */
const LAST = /\?\/(lock|freeze|status|disable|reset|resetSecondFactor|\w*[eE]rror|enteredInError)$/;
/** Who posts each action: the first role the matrix lets through, from this order. */
const PREFERRED: Role[] = [
	'coordinator',
	'investigator',
	'monitor',
	'admin',
	'auditor',
	'pharmacist'
];
/** Form fields that name a record, and the kind of record. */
const RECORD_FIELDS: Record<string, string> = {
	visitId: 'visits',
	flagId: 'flags',
	queryId: 'queries',
	readingId: 'vitals',
	guessId: 'blinding-guesses',
	conmedId: 'concomitant-medications',
	studyId: 'studies',
	formVersionId: 'consent-form-versions',
	entityId: 'participants'
};

let server: InProcessServer;
let watch: Watch;
let guard: DataGuard;
let ids: Ids;
const cookies = new Map<Role, string>();
const tallies = new Tallies();
const started = Date.now();

function post(path: string, init: RequestInit, socket: boolean): Promise<Response> {
	const request = new Request(`${server.base}${path}`, { ...init, redirect: 'manual' });
	return socket ? server.overSocket(request) : server.respond(request);
}

async function signInCookie(email: string): Promise<string> {
	const res = await post(
		'/login',
		{
			method: 'POST',
			headers: { origin: server.base, 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ email, password: server.password })
		},
		false
	);
	const match = /vigil_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '');
	if (!match) throw new Error(`sign-in of ${email} failed: ${res.status}`);
	return `vigil_session=${match[1]}`;
}

function roleFor(rule: DoorRule): Role | null {
	if (rule.public) return null;
	return PREFERRED.find((r) => rule.allow[r]) ?? null;
}

/** The kind of record a page's path names, as recordIds() keys it. */
function kindOf(door: Door, seg: string): string {
	if (door.path.startsWith('/admin/users')) return 'admin/users';
	if (door.path.startsWith('/admin/sites')) return 'admin/sites';
	return seg;
}

/** The page's address with a record of the kind it names: the role's own, another site's or none. */
function pathOf(door: Door): fc.Arbitrary<string> {
	const m = /\/([a-z-]+)\/(?:\[id=id\]|\[code\]|\[token\])/.exec(door.path);
	if (!m) return fc.constant(door.path);
	const kind = kindOf(door, m[1]!);
	const ids_ =
		kind === 'epro'
			? fc.constantFrom(String(ids.own.epro), 'not-a-real-link')
			: recordId(ids.own[kind], ids.foreign[kind]);
	return ids_.map((id) => door.path.replace(/\[(id=id|code|token)\]/, id));
}

/** The page with the role's own record, for reading its forms' field names. */
function ownPage(door: Door): string {
	const m = /\/([a-z-]+)\/(?:\[id=id\]|\[code\]|\[token\])/.exec(door.path);
	if (!m) return door.path;
	const kind = kindOf(door, m[1]!);
	return door.path.replace(/\[(id=id|code|token)\]/, String(ids.own[kind] ?? 999_999));
}

/** Field names the page's own forms carry (with what the code reads, they are what the fuzz fills). */
async function pageFields(door: Door, role: Role | null): Promise<string[]> {
	const res = await server.respond(
		new Request(`${server.base}${ownPage(door)}`, {
			headers: role ? { cookie: cookies.get(role)! } : {}
		})
	);
	const html = await res.text();
	return [...html.matchAll(/\sname="([A-Za-z_][\w-]*)"/g)].map((m) => m[1]!);
}

function valueFor(field: string): fc.Arbitrary<string> {
	const kind = RECORD_FIELDS[field];
	if (!kind) return fieldText();
	return fc.oneof(
		{ weight: 2, arbitrary: fieldText() },
		{ weight: 3, arbitrary: recordId(ids.own[kind], ids.foreign[kind]) }
	);
}

/** A form body: some of the action's fields (a field may repeat), sometimes an unknown one. */
function bodyFor(fields: string[]): fc.Arbitrary<Array<[string, string]>> {
	const named = fields.length
		? fc.array(
				fc.constantFrom(...fields).chain((f) => valueFor(f).map((v): [string, string] => [f, v])),
				{ maxLength: fields.length + 2 }
			)
		: fc.constant([] as Array<[string, string]>);
	const stray = fc.array(fc.tuple(fc.string({ maxLength: 10 }), fc.string({ maxLength: 20 })), {
		maxLength: 2
	});
	return fc.tuple(named, stray).map(([a, b]) => [...a, ...b]);
}

/** How a case is posted: as use:enhance does (JSON answer), as a plain browser (a page), multipart. */
type Mode = 'enhanced' | 'page' | 'multipart';
/** One case in 50 renders the whole page (the costliest answer), one in 5 is multipart. */
const mode: fc.Arbitrary<Mode> = fc
	.nat(49)
	.map((n): Mode => (n === 49 ? 'page' : n >= 39 ? 'multipart' : 'enhanced'));
const overSocket = fc.nat(39).map((n) => n === 39);

interface Answer {
	/** The action's own status: the HTTP status, or the one inside SvelteKit's JSON answer. */
	status: number;
	requestId: string | null;
	location: string | null;
	/** Field errors of a failure answered as JSON; null when answered as a page. */
	fieldErrors: string[] | null;
}

async function send(
	door: Door,
	role: Role | null,
	path: string,
	body: Array<[string, string]>,
	how: Mode,
	socket: boolean
): Promise<Answer> {
	const target = path + (door.action!.name === 'default' ? '' : `?/${door.action!.name}`);
	const form = how === 'multipart' ? new FormData() : new URLSearchParams();
	for (const [k, v] of body) form.append(k, v);
	const res = await post(
		target,
		{
			method: 'POST',
			headers: {
				...(role ? { cookie: cookies.get(role)! } : {}),
				origin: server.base,
				accept: how === 'page' ? 'text/html' : 'application/json',
				...(how === 'page' ? {} : { 'x-sveltekit-action': 'true' })
			},
			body: form
		},
		socket
	);
	const text = await res.text();
	const requestId = res.headers.get('x-request-id');
	if (how === 'page' || !(res.headers.get('content-type') ?? '').includes('json')) {
		return {
			status: res.status,
			requestId,
			location: res.headers.get('location'),
			fieldErrors: null
		};
	}
	const json = JSON.parse(text) as Json;
	if (json.type === 'failure') {
		const data = devalue(json.data as string) as { errors?: Record<string, string[]> };
		return {
			status: json.status as number,
			requestId,
			location: null,
			fieldErrors: Object.keys(data?.errors ?? {})
		};
	}
	if (json.type === 'redirect') {
		return { status: json.status, requestId, location: json.location, fieldErrors: null };
	}
	const status = json.type === 'error' ? res.status : 200;
	return { status, requestId, location: null, fieldErrors: null };
}

/** Refused: a 4xx, or sent to sign in. */
function refusal(res: Answer): boolean {
	return res.status >= 400 || (res.location ?? '').startsWith('/login');
}

const doors = formActionDoors()
	.filter((d) => !ENDS_SESSION.test(d.key))
	.sort((a, b) => Number(LAST.test(a.key)) - Number(LAST.test(b.key)));

describe('fuzzing every form action', () => {
	beforeAll(async () => {
		server = await startInProcessServer('form-fuzz', {
			VIGIL_DEMO_PARTICIPANTS: '6',
			VIGIL_SECOND_FACTOR_ROLES: 'none',
			// The safety clock raises flags on its own: once at start, then not during the fuzz.
			VIGIL_SAFETY_CLOCK_SECONDS: '86400'
		});
		watch = watchDatabase(server);
		guard = new DataGuard(watch);
		for (const role of PREFERRED) cookies.set(role, await signInCookie(`${role}@demo.vigil.test`));
		ids = await recordIds(watch);
		// The user-administration forms work on a user of their own, never on the fuzzing admin.
		const made = await send(
			{
				key: '',
				kind: 'action',
				method: 'POST',
				path: '/admin/users',
				action: { name: 'create', fields: [] }
			},
			'admin',
			'/admin/users',
			[
				['email', 'fuzzed@probe.vigil.test'],
				['name', 'Fuzzed User'],
				['role', 'coordinator'],
				['sites', '01']
			],
			'enhanced',
			false
		);
		expect(made.status).toBe(200);
		const users = await watch.rows<{ id: number; email: string }>('select id, email from "user"');
		ids.own['admin/users'] = users.find((u) => u.email === 'fuzzed@probe.vigil.test')!.id;
		ids.foreign['admin/users'] = users.find((u) => u.email === 'coordinator2@demo.vigil.test')!.id;
		// A live self-report link, so the participant's form reaches its answers.
		const link = await server.respond(
			new Request(`${server.base}/api/v1/participants/${ids.own.participants}/epro-links`, {
				method: 'POST',
				headers: { cookie: cookies.get('coordinator')!, 'content-type': 'application/json' },
				body: JSON.stringify({ instrument: 'PHQ9', mode: 'link' })
			})
		);
		ids.own.epro = ((await link.json()) as Json).token as string;
	}, 240_000);

	afterAll(async () => {
		console.log(tallies.report('Form fuzz', (Date.now() - started) / 1000));
		await watch?.close();
		await server?.stop();
	});

	it('covers every form action but the two that end the session', () => {
		expect(doors.length).toBeGreaterThan(70);
		expect(ids.own.participants && ids.foreign.participants && ids.own.epro).toBeTruthy();
	});

	for (const door of doors) {
		it(`${door.key}: never a 5xx, a refusal changes nothing, bad input names its fields`, async () => {
			const role = roleFor(ACCESS_MATRIX[door.key]!);
			const fields = [...new Set([...door.action!.fields, ...(await pageFields(door, role))])];
			const one = fc.tuple(pathOf(door), bodyFor(fields), mode, overSocket);
			const tally = tallies.of(door.key);
			const runs = Math.min(RUNS, READS_NO_FIELD[door.key] ?? RUNS);
			await fc.assert(
				fc.asyncProperty(fc.array(one, { minLength: BATCH, maxLength: BATCH }), (batch) =>
					judgeBatch(batch, {
						watch,
						guard,
						tally,
						signedIn: Boolean(role),
						send: ([path, body, how, socket]) => send(door, role, path, body, how, socket),
						describe: ([path, body, how], res) => `${res.status} ${how} ${path} ${shown(body)}`,
						overSocket: ([, , , socket]) => socket,
						count: ([, , how]) => {
							if (how === 'page') tally.pages += 1;
						},
						refused: (res) => refusal(res),
						onRefusal: (_case, res, what) => {
							// Sign-in answers one message for any failure, naming no field, so that no
							// answer tells whether an account exists.
							const namesFields = door.key !== 'POST /login';
							if (namesFields && res.fieldErrors && (res.status === 400 || res.status === 422)) {
								expect(res.fieldErrors.length, what).toBeGreaterThan(0);
							}
						}
					})
				),
				{
					numRuns: Math.ceil(runs / BATCH),
					// Always tried, over the socket too: NUL in every field the action reads
					// (PostgreSQL's text cannot hold it).
					examples: [
						[
							Array.from({ length: BATCH }, (_, i) => [
								ownPage(door),
								door.action!.fields.map((f): [string, string] => [f, NASTY[0] as string]),
								(['enhanced', 'page', 'multipart'] as const)[i % 3]!,
								i < 2
							])
						]
					]
				}
			);
			expect(tally.cases, `${door.key} ran ${tally.cases} cases`).toBeGreaterThanOrEqual(runs);
		}, 1_800_000);
	}
});
