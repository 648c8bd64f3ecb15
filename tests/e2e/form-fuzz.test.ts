// Property-based fuzzing (fast-check) of every HTML form action, against a built server of its own:
// form-encoded bodies posted to `?/action` as a signed-in user of a role the access matrix lets
// through (or signed out, for the public forms), with the page's origin. Whatever the fields hold
// (NUL and control characters, hex and exponent numbers, impossible dates, formula text, huge or
// repeated values, unknown fields, other records' ids), the answer is never a 5xx; a refusal
// (4xx) changes nothing: the digest of every clinical table is the same after it, and the audit
// trail gained no entry but a recorded refusal (a failed signing); a 400 or 422 names the fields.
// Half the cases post as a browser without JavaScript (the page is rendered with the failure),
// half as `use:enhance` does (SvelteKit's JSON answer, whose field errors are read).
//
// VIGIL_FORM_FUZZ_RUNS cases per action (default below); `npm run fuzz` runs 10,000.
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parse as devalue } from 'devalue';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_MATRIX, type DoorRule } from '../../src/lib/access/matrix';
import type { Role } from '../../src/lib/roles';
import { useHeadSigner } from '../../src/lib/server/audit/head-signature';
import { loadOrCreateSigningKey } from '../../src/lib/server/audit/signing-key';
import { openDatabase, openPostgres, type PostgresDatabase } from '../../src/lib/server/db';
import { systemContext } from '../../src/lib/server/runtime/context';
import { createUser } from '../../src/lib/server/services/people/users';
import { formActionDoors, type Door } from '../helpers/doors';
import { startOwnServer, type OwnServer } from './setup/own-server';

const RUNS = Number(process.env.VIGIL_FORM_FUZZ_RUNS ?? process.env.VIGIL_FUZZ_RUNS ?? 40);
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Audit entries that record a refusal itself (a failed signing or sign-in), not a change. */
const REFUSAL_ENTRIES = /[._](failed|refused|throttled)$/;
/** Cases posted at once (the server answers them together; the digest is compared per batch). */
const BATCH = 4;
/** Signing out and signing out everywhere end the session the fuzz posts with; they read no field. */
const ENDS_SESSION = /^POST \/(logout|account\/tokens\?\/everywhere)$/;
/** Actions that, when a body happens to be valid, close doors for the others: fuzzed last. */
const LAST = /\?\/(lock|freeze|status|disable|reset|resetSecondFactor|\w*[eE]rror|enteredInError)$/;
/**
 * Every table of clinical (and trial) data, and the people and sites they belong to; not the
 * sessions, throttles, challenges and alerts bookkeeping, which change on any request.
 */
const DIGESTED = [
	'site',
	'user_site',
	'study',
	'protocol_version',
	'participant',
	'visit',
	'dosing_session',
	'vital_reading',
	'adverse_event',
	'scale_administration',
	'flag',
	'signature',
	'protocol_deviation',
	'on_call',
	'data_query',
	'data_query_step',
	'source_verification',
	'casebook_freeze',
	'study_lock',
	'study_unlock_request',
	'consent_form_version',
	'consent_record',
	'randomisation',
	'allocation_slot',
	'concomitant_medication',
	'blinding_guess',
	'epro_link',
	'user_totp',
	'recovery_code'
];
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
	formVersionId: 'consent-form-versions'
};

let server: OwnServer;
let lite: Database.Database | null = null;
let pg: PostgresDatabase | null = null;
const cookies = new Map<Role, string>();
const ids: Record<string, number | string> = {};

async function signInCookie(email: string, password = server.password): Promise<string> {
	const res = await fetch(`${server.base}/login`, {
		method: 'POST',
		headers: { origin: server.base, 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ email, password }),
		redirect: 'manual'
	});
	const match = /vigil_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '');
	if (!match) throw new Error(`sign-in of ${email} failed: ${res.status}`);
	return `vigil_session=${match[1]}`;
}

async function getJson(path: string): Promise<Json> {
	const res = await fetch(`${server.base}/api/v1${path}`, {
		headers: { cookie: cookies.get('coordinator')! }
	});
	return (await res.json()) as Json;
}

/** A digest of every clinical table and the audit trail's last row. */
async function snapshot(): Promise<{ digest: string; seq: number }> {
	const hash = createHash('sha256');
	let seq = 0;
	if (lite) {
		for (const t of DIGESTED) {
			hash.update(t);
			for (const row of lite.prepare(`select * from ${t} order by 1`).iterate()) {
				hash.update(JSON.stringify(row));
			}
		}
		seq = (lite.prepare('select max(seq) as seq from audit_event').get() as { seq: number }).seq;
	} else {
		const text = DIGESTED.map(
			(t) =>
				`select '${t}' as t, md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as d from ${t} x`
		).join(' union all ');
		const { rows } = await pg!.pool.query<{ t: string; d: string }>(text);
		for (const r of rows) hash.update(`${r.t}${r.d}`);
		const head = await pg!.pool.query<{ seq: string }>('select max(seq) as seq from audit_event');
		seq = Number(head.rows[0]!.seq);
	}
	return { digest: hash.digest('hex'), seq };
}

/** What one request wrote to the audit trail (every change writes there in its transaction). */
async function auditOf(requestId: string | null): Promise<string[]> {
	if (!requestId) return ['(the answer carried no request id)'];
	if (lite) {
		const rows = lite
			.prepare('select action from audit_event where request_id = ?')
			.all(requestId) as Array<{ action: string }>;
		return rows.map((r) => r.action);
	}
	const { rows } = await pg!.pool.query<{ action: string }>(
		'select action from audit_event where request_id = $1',
		[requestId]
	);
	return rows.map((r) => r.action);
}

async function auditSince(seq: number): Promise<string[]> {
	if (lite) {
		const rows = lite.prepare('select action from audit_event where seq > ?').all(seq) as Array<{
			action: string;
		}>;
		return rows.map((r) => r.action);
	}
	const { rows } = await pg!.pool.query<{ action: string }>(
		'select action from audit_event where seq > $1',
		[seq]
	);
	return rows.map((r) => r.action);
}

function roleFor(rule: DoorRule): Role | null {
	if (rule.public) return null;
	return PREFERRED.find((r) => rule.allow[r]) ?? null;
}

/** The page's address with its record (site 01's, or a made-up one) in place. */
function pageOf(door: Door): string {
	let path = door.path.replace('[token]', 'not-a-real-link');
	path = path.replace(/\/([a-z-]+)\/(?:\[id=id\]|\[code\])/g, (_, seg: string) => {
		const kind = door.path.startsWith('/admin/users')
			? 'admin/users'
			: door.path.startsWith('/admin/sites')
				? 'admin/sites'
				: ({ scales: 'scale-administrations', sessions: 'dosing-sessions' }[seg] ?? seg);
		return `/${seg}/${ids[kind] ?? 999_999}`;
	});
	return path;
}

/** Field names the page's own forms carry (with what the code reads, they are what the fuzz fills). */
async function pageFields(door: Door, role: Role | null): Promise<string[]> {
	const res = await fetch(`${server.base}${pageOf(door)}`, {
		headers: role ? { cookie: cookies.get(role)! } : {}
	});
	const html = await res.text();
	return [...html.matchAll(/\sname="([A-Za-z_][\w-]*)"/g)].map((m) => m[1]!);
}

const NASTY = [
	'\u0000',
	'\u0000\u0000\u0000',
	'\u200b\u200b\u200b',
	'\u202e',
	'0x78',
	'1e3',
	'-0',
	'NaN',
	'Infinity',
	'true',
	'on',
	'2026-02-30',
	'0001-01-01',
	'9999-12-31T00:00',
	'2026-13-01T25:61',
	'=HYPERLINK("http://x")',
	'+1',
	'@SUM(A1)',
	'...',
	'',
	' ',
	'<script>alert(1)</script>',
	"'; drop table participant; --",
	'%00',
	'../../etc/passwd',
	'x'.repeat(5000),
	'adverse_event:1:',
	'vital_reading:999999:1'
];

function valueFor(field: string): fc.Arbitrary<string> {
	const real = RECORD_FIELDS[field] ? String(ids[RECORD_FIELDS[field]!] ?? 1) : null;
	return fc.oneof(
		{ weight: 3, arbitrary: fc.constantFrom(...NASTY) },
		{ weight: 2, arbitrary: fc.string({ maxLength: 40, unit: 'grapheme' }) },
		{ weight: 1, arbitrary: fc.string({ maxLength: 12, unit: 'binary' }) },
		{ weight: 2, arbitrary: fc.integer({ min: -1_000_000, max: 1_000_000 }).map(String) },
		{ weight: 1, arbitrary: fc.double({ noNaN: false }).map(String) },
		{ weight: real ? 2 : 0, arbitrary: fc.constant(real ?? '1') }
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

interface Answer {
	/** The action's own status: the HTTP status, or the one inside SvelteKit's JSON answer. */
	status: number;
	requestId: string | null;
	location: string | null;
	/** Field errors of a failure answered as JSON; null when answered as a page. */
	fieldErrors: string[] | null;
}

async function post(
	door: Door,
	role: Role | null,
	body: Array<[string, string]>,
	enhanced: boolean
): Promise<Answer> {
	const path = pageOf(door) + (door.action!.name === 'default' ? '' : `?/${door.action!.name}`);
	const form = new URLSearchParams();
	for (const [k, v] of body) form.append(k, v);
	const res = await fetch(`${server.base}${path}`, {
		method: 'POST',
		headers: {
			...(role ? { cookie: cookies.get(role)! } : {}),
			origin: server.base,
			accept: enhanced ? 'application/json' : 'text/html',
			...(enhanced ? { 'x-sveltekit-action': 'true' } : {})
		},
		body: form,
		redirect: 'manual'
	});
	const text = await res.text();
	const requestId = res.headers.get('x-request-id');
	if (!enhanced || !(res.headers.get('content-type') ?? '').includes('json')) {
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
		server = await startOwnServer('form-fuzz', {
			VIGIL_DEMO_PARTICIPANTS: '6',
			VIGIL_SECOND_FACTOR_ROLES: 'none',
			// The safety clock raises flags on its own: once at start, then not during the fuzz.
			VIGIL_SAFETY_CLOCK_SECONDS: '86400'
		});
		if (server.databaseUrl) pg = openPostgres(server.databaseUrl, 1);
		else lite = new Database(server.dbFile, { readonly: true, fileMustExist: true });
		for (const role of PREFERRED) cookies.set(role, await signInCookie(`${role}@demo.vigil.test`));
		// Records at site 01, so paths and id fields reach the parsing of the bodies.
		const participants = (await getJson('/participants')).participants as Json[];
		for (const p of participants) {
			const sessions = (await getJson(`/participants/${p.id}/dosing-sessions`)).dosingSessions;
			const events = (await getJson(`/participants/${p.id}/adverse-events`)).adverseEvents;
			if (!sessions?.length || !events?.length) continue;
			ids.participants = p.id;
			ids['dosing-sessions'] = sessions[0].id;
			ids['adverse-events'] = events[0].id;
			ids.vitals = (await getJson(`/dosing-sessions/${sessions[0].id}/vitals`)).readings[0]?.id;
			ids.visits = (await getJson(`/participants/${p.id}/visits`)).visits[0].id;
			ids['scale-administrations'] = (await getJson(`/participants/${p.id}/scale-administrations`))
				.scaleAdministrations[0]?.id;
			break;
		}
		ids.studies = ((await getJson('/studies')).studies as Json[])[0]!.id;
		ids.sites = '01';
		ids['admin/sites'] = 1;
		ids.flags = ((await getJson('/flags?open=false&limit=50')).flags as Json[])[0]?.id;
		ids.deviations = ((await getJson('/deviations')).deviations as Json[])[0]?.id;
		ids['consent-form-versions'] = (
			(await getJson(`/studies/${ids.studies}/consent-form-versions`)).versions as
				Json[] | undefined
		)?.[0]?.id;
		// The user-administration forms work on a user of their own, never on the fuzzing admin.
		useHeadSigner(loadOrCreateSigningKey(join(server.keyDir, 'vigil-signing.key')));
		const { db } = pg ?? openDatabase(server.dbFile);
		const { user } = await createUser(
			systemContext(db, 'form fuzz'),
			{ email: 'fuzzed@probe.vigil.test', name: 'Fuzzed User', role: 'coordinator', sites: ['01'] },
			`Fuzz-${randomBytes(12).toString('hex')}`
		);
		ids['admin/users'] = user.id;
		if (!pg) await db.destroy();
	}, 240_000);

	afterAll(async () => {
		lite?.close();
		await pg?.db.destroy();
		server?.stop();
	});

	it('covers every form action but the two that end the session', () => {
		expect(doors.length).toBeGreaterThan(60);
	});

	for (const door of doors) {
		it(`${door.key}: never a 5xx, a refusal changes nothing, bad input names its fields`, async () => {
			const rule = ACCESS_MATRIX[door.key]!;
			const role = roleFor(rule);
			const fields = [...new Set([...door.action!.fields, ...(await pageFields(door, role))])];
			const one = fc.tuple(bodyFor(fields), fc.boolean());
			let before = await snapshot();
			await fc.assert(
				fc.asyncProperty(fc.array(one, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
					// A batch is posted at once; each case is judged alone, the digest over the batch.
					const answers = await Promise.all(
						batch.map(([body, enhanced]) => post(door, role, body, enhanced))
					);
					const allRefused = answers.every(refusal);
					for (const [i, res] of answers.entries()) {
						const shown = `${res.status} for ${JSON.stringify(batch[i]).slice(0, 300)}`;
						expect(res.status, shown).toBeLessThan(500);
						// The fuzzing user stays signed in: a 401 would mean the rest tested nothing.
						if (role) expect(res.status, shown).not.toBe(401);
						if (!refusal(res)) continue;
						const written = (await auditOf(res.requestId)).filter((a) => !REFUSAL_ENTRIES.test(a));
						expect(written, `a refused request wrote to the audit trail: ${shown}`).toEqual([]);
						// Sign-in answers one message for any failure, naming no field, so that no
						// answer tells whether an account exists.
						const namesFields = door.key !== 'POST /login';
						if (namesFields && res.fieldErrors && (res.status === 400 || res.status === 422)) {
							expect(res.fieldErrors.length, shown).toBeGreaterThan(0);
						}
					}
					const after = await snapshot();
					if (allRefused) {
						const shown = JSON.stringify(batch).slice(0, 600);
						expect(after.digest, `refused requests changed the data: ${shown}`).toBe(before.digest);
						const written = (await auditSince(before.seq)).filter((a) => !REFUSAL_ENTRIES.test(a));
						expect(written, shown).toEqual([]);
					}
					before = after;
				}),
				// Always tried: NUL in every field the action reads (PostgreSQL's text cannot hold it).
				{
					numRuns: Math.ceil(RUNS / BATCH),
					examples: [
						[
							[
								[door.action!.fields.map((f): [string, string] => [f, '\u0000']), false],
								[door.action!.fields.map((f): [string, string] => [f, '\u0000']), true]
							]
						]
					]
				}
			);
		}, 1_800_000);
	}
});
