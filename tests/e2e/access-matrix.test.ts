// The access matrix, checked door by door against a server of its own: every page, form action,
// JSON API operation, export and live stream, called as every role holding one site (with a
// record at that site and one at the other), every role holding no site, an administrator, nobody,
// and API tokens that are revoked, expired or read-only. Each answer must be what
// src/lib/access/matrix.ts says: allowed (never 401/403/404, never a 5xx), refused (403, or 404
// for a record the caller may not know of), or "sign in" (401, or the sign-in page). A list
// answered to a one-site caller names no record of the other site. Writes send a body that fails
// validation (a form action: its record ids at the target's site, every other field a NUL
// character), so an allowed call is refused on its fields (400/422) after passing the access
// check; a refused write leaves no audit entry under its request id (every change writes one in
// its transaction), so it changed nothing.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_MATRIX, type DoorRule } from '../../src/lib/access/matrix';
import { ROLES, type Role } from '../../src/lib/roles';
import { useHeadSigner } from '../../src/lib/server/audit/head-signature';
import { loadOrCreateSigningKey } from '../../src/lib/server/audit/signing-key';
import { openDatabase, openPostgres, type OpenedDatabase } from '../../src/lib/server/db';
import { systemContext, type ServiceContext } from '../../src/lib/server/runtime/context';
import { createApiToken, revokeApiToken } from '../../src/lib/server/services/people/api-tokens';
import { listSites } from '../../src/lib/server/services/people/sites';
import { createUser } from '../../src/lib/server/services/people/users';
import { httpDoors, type Door } from '../helpers/doors';
import { startOwnServer, type OwnServer } from './setup/own-server';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Target = 'own' | 'other' | '-';
type Seen = 'allow' | 'refuse' | 'hide' | 'sign-in' | `error ${number}`;
type Expected = 'allow' | 'refuse' | 'hide' | 'sign-in';

interface Subject {
	name: string;
	role: Role | null;
	/** 'own': holds site 01 only; 'none': holds no site; 'all': an administrator. */
	holds: 'own' | 'none' | 'all';
	headers: Record<string, string>;
	token?: 'revoked' | 'expired' | 'read';
	/** A new session of the same user, for a door that ends the one it is called with. */
	freshSession?: () => Promise<Record<string, string>>;
	/** An API token of the user's own, for the account page's revoke. */
	ownTokenId?: number;
}

const SITE_ROLES = ROLES.filter((r) => r !== 'admin');
/** A body no write accepts: each operation refuses it on its fields once access is granted. */
const PROBE_BODY = { reason: 0, text: 0, category: 0 };
/**
 * Audit entries that are no change: a refusal recorded (a failed signing or sign-in), and a
 * token's use (written on its first use of the day, whatever the answer).
 */
const REFUSAL_ENTRIES = /[._](failed|refused|throttled)$|^api_token\.use$/;
/** Form fields that name a record, and the kind of record (a path segment of `records`). */
const FORM_RECORD_FIELDS: Record<string, string> = {
	visitId: 'visits',
	flagId: 'flags',
	queryId: 'queries',
	readingId: 'vitals',
	guessId: 'blinding-guesses',
	conmedId: 'concomitant-medications',
	studyId: 'studies'
};
/** Form actions whose record is named in the body alone (the page's path names none). */
const BODY_SCOPED_FIELDS = ['flagId', 'record'];
/** Doors that end the caller's session: called after every other door. */
const ENDS_SESSION = /^POST \/(logout|account\/tokens\?\/everywhere)$/;

let server: OwnServer;
let opened: OpenedDatabase;
const subjects: Subject[] = [];
/** Record ids by path segment ('participants', 'dosing-sessions', …) at site 01 and site 02. */
const records: Record<'own' | 'other', Record<string, number | string>> = { own: {}, other: {} };
/** Segments whose ids are not tied to a site. */
const GLOBAL_IDS: Record<string, number | string> = {};

async function signInCookie(email: string, password: string): Promise<string> {
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

async function api(cookie: string, method: string, path: string, body?: unknown): Promise<Json> {
	const res = await fetch(`${server.base}/api/v1${path}`, {
		method,
		headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
		body: body === undefined ? undefined : JSON.stringify(body)
	});
	const json = (await res.json()) as Json;
	if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
	return json;
}

/** Users of every site role holding site 01 only and holding no site; tokens of one of them. */
async function makeSubjects(): Promise<void> {
	useHeadSigner(loadOrCreateSigningKey(join(server.keyDir, 'vigil-signing.key')));
	opened = server.databaseUrl ? openPostgres(server.databaseUrl, 2) : openDatabase(server.dbFile);
	const system = systemContext(opened.db, 'access-matrix test');
	const sites = await listSites(system);
	const site01 = sites.find((s) => s.code === '01')!.id;
	const password = `Probe-${randomBytes(12).toString('hex')}`;
	const adminCookie = await signInCookie('admin@demo.vigil.test', server.password);
	subjects.push({
		name: 'admin',
		role: 'admin',
		holds: 'all',
		headers: { cookie: adminCookie },
		freshSession: async () => ({
			cookie: await signInCookie('admin@demo.vigil.test', server.password)
		})
	});
	subjects.push({ name: 'anonymous', role: null, holds: 'none', headers: {} });
	for (const role of SITE_ROLES) {
		for (const holds of ['own', 'none'] as const) {
			const email = `${role}-${holds}@probe.vigil.test`;
			const { user } = await createUser(
				system,
				{ email, name: `Probe ${role} ${holds}`, role, sites: holds === 'own' ? ['01'] : [] },
				password
			);
			const cookie = await signInCookie(email, password);
			subjects.push({
				name: `${role}@${holds}`,
				role,
				holds,
				headers: { cookie },
				freshSession: async () => ({ cookie: await signInCookie(email, password) })
			});
			if (role !== 'coordinator' || holds !== 'own') continue;
			const as = (now: Date): ServiceContext => ({
				db: opened.db,
				requestId: null,
				now: () => now,
				actor: { kind: 'user', id: user.id, email, name: user.name, role, siteIds: [site01] }
			});
			const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
			const read = await createApiToken(as(new Date()), { name: 'read', scope: 'read' }, 90);
			subjects.push({
				...subjects.at(-1)!,
				freshSession: undefined,
				name: 'read-only token',
				headers: bearer(read.token),
				token: 'read'
			});
			const revoked = await createApiToken(as(new Date()), { name: 'revoked', scope: 'write' }, 90);
			await revokeApiToken(as(new Date()), revoked.apiToken.id);
			subjects.push({
				name: 'revoked token',
				role: null,
				holds: 'none',
				headers: bearer(revoked.token),
				token: 'revoked'
			});
			const old = new Date(Date.now() - 120 * 86_400_000);
			const expired = await createApiToken(as(old), { name: 'expired', scope: 'write' }, 90);
			subjects.push({
				name: 'expired token',
				role: null,
				holds: 'none',
				headers: bearer(expired.token),
				token: 'expired'
			});
		}
	}
	await giveOwnTokens(site01);
}

/** An API token of each signed-in user's own (revoking it is the user's right). */
async function giveOwnTokens(site01: number): Promise<void> {
	for (const s of subjects.filter((x) => x.freshSession && x.role)) {
		const email =
			s.name === 'admin' ? 'admin@demo.vigil.test' : `${s.name.replace('@', '-')}@probe.vigil.test`;
		const user = await opened.db
			.selectFrom('user')
			.select(['id', 'name'])
			.where('email', '=', email)
			.executeTakeFirstOrThrow();
		const ctx: ServiceContext = {
			db: opened.db,
			requestId: null,
			now: () => new Date(),
			actor: {
				kind: 'user',
				id: user.id,
				email,
				name: user.name,
				role: s.role!,
				siteIds: s.holds === 'own' ? [site01] : []
			}
		};
		const made = await createApiToken(ctx, { name: 'to revoke', scope: 'read' }, 90);
		s.ownTokenId = made.apiToken.id;
	}
}

/** A record of each kind at site 01 and at site 02 (made when the demo has none). */
async function findRecords(): Promise<void> {
	const monitor = await signInCookie('monitor@demo.vigil.test', server.password);
	const coordinator = await signInCookie('coordinator@demo.vigil.test', server.password);
	const coordinator2 = await signInCookie('coordinator2@demo.vigil.test', server.password);
	const participants = (await api(monitor, 'GET', '/participants')).participants as Json[];
	for (const [target, siteCode] of [
		['own', '01'],
		['other', '02']
	] as const) {
		const r = records[target];
		const sites = (await api(target === 'own' ? coordinator : coordinator2, 'GET', '/sites')).sites;
		r.sites = sites[0].code;
		for (const p of participants.filter((p) => p.subjectCode.startsWith(`${siteCode}-`))) {
			const sessions = (await api(monitor, 'GET', `/participants/${p.id}/dosing-sessions`))
				.dosingSessions as Json[];
			const events = (await api(monitor, 'GET', `/participants/${p.id}/adverse-events`))
				.adverseEvents as Json[];
			if (!sessions.length || !events.length) continue;
			r.participants = p.id;
			r['dosing-sessions'] = sessions[0]!.id;
			r['adverse-events'] = events[0]!.id;
			r.vitals = (
				await api(monitor, 'GET', `/dosing-sessions/${sessions[0]!.id}/vitals`)
			).readings[0].id;
			r.visits = (await api(monitor, 'GET', `/participants/${p.id}/visits`)).visits[0].id;
			r['scale-administrations'] = (
				await api(monitor, 'GET', `/participants/${p.id}/scale-administrations`)
			).scaleAdministrations[0].id;
			const guesses = (await api(monitor, 'GET', `/participants/${p.id}/blinding-guesses`))
				.guesses as Json[];
			if (guesses.length) r['blinding-guesses'] = guesses[0]!.id;
			break;
		}
		if (!r.participants) throw new Error(`no participant with sessions and events at ${siteCode}`);
		const staff = target === 'own' ? coordinator : coordinator2;
		const deviation = await api(staff, 'POST', `/participants/${r.participants}/deviations`, {
			category: 'OTHER',
			description: 'Access matrix probe: a deviation to call the doors with.',
			occurredAt: new Date(Date.now() - 3_600_000).toISOString().slice(0, 16),
			important: false
		});
		r.deviations = deviation.id;
		const query = await api(monitor, 'POST', '/queries', {
			entityType: 'adverse_event',
			entityId: r['adverse-events'],
			field: 'outcome',
			text: 'Access matrix probe: please confirm.'
		});
		r.queries = query.id;
		const conmedPath = `/participants/${r.participants}/concomitant-medications`;
		const conmeds = (await api(monitor, 'GET', conmedPath)).medications as Json[];
		r['concomitant-medications'] = conmeds.length
			? conmeds[0]!.id
			: (await api(staff, 'POST', conmedPath, { name: 'Sertraline 50 mg', start: '2024-03' })).id;
		const consents = (await api(monitor, 'GET', `/participants/${r.participants}/consents`))
			.records as Json[] | undefined;
		if (consents?.length) r.consents = consents[0]!.id;
		// A self-report link to revoke (the own-site coordinator's probe revokes it; later ones 409).
		r['epro-links'] = (
			await api(staff, 'POST', `/participants/${r.participants}/epro-links`, {
				instrument: 'PHQ9',
				mode: 'link'
			})
		).id;
		const flags = (await api(monitor, 'GET', '/flags?open=false&limit=1000')).flags as Json[];
		const flag = flags.find((f) => f.siteCode === siteCode);
		if (!flag) throw new Error(`no flag at site ${siteCode}`);
		r.flags = flag.id;
	}
	GLOBAL_IDS.studies = (await api(monitor, 'GET', '/studies')).studies[0].id;
	await addOnCallShifts();
	GLOBAL_IDS['admin/sites'] = 1;
	GLOBAL_IDS['admin/users'] = 1;
}

/**
 * On-call shifts (the on-call page's remove action names one): one at each site, and at site 01 a
 * second for the administrator, since an allowed removal takes its shift away.
 */
async function addOnCallShifts(): Promise<void> {
	const admin = subjects.find((s) => s.name === 'admin')!.headers.cookie!;
	const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
	for (const target of ['own', 'own', 'other'] as const) {
		const page = `${server.base}/sites/${records[target].sites}/on-call`;
		const res = await fetch(`${page}?/add`, {
			method: 'POST',
			headers: { cookie: admin, origin: server.base },
			body: new URLSearchParams({
				name: `Probe on call ${target}`,
				email: `on-call-${target}@probe.vigil.test`,
				startsAt: `${tomorrow}T08:00`,
				endsAt: `${tomorrow}T20:00`
			}),
			redirect: 'manual'
		});
		if (res.status !== 200) throw new Error(`on-call shift at ${target}: ${res.status}`);
		const html = await (await fetch(page, { headers: { cookie: admin } })).text();
		const listed = [...html.matchAll(/name="id" value="(\d+)"/g)].map((m) => Number(m[1]));
		const id = listed.find((i) => i !== records[target]['on-call']);
		if (!id) throw new Error(`no new on-call shift listed at ${records[target].sites}`);
		if (records[target]['on-call']) records[target]['admin on-call'] = id;
		else records[target]['on-call'] = id;
	}
}

/** The id a path segment names, at the target's site; undefined when it is not site-scoped. */
const PAGE_KINDS: Record<string, string> = {
	scales: 'scale-administrations',
	sessions: 'dosing-sessions'
};

function urlOf(door: Door, target: Target): string {
	const at = target === 'other' ? records.other : records.own;
	let path = door.path.replace(/\{domain\}|\[domain\]/, 'dm');
	// A record's history in the trail: a deviation made for this test at the target's site.
	path = path.replace('/[type]/[id=id]', `/protocol_deviation/${at.deviations}`);
	path = path.replace(/\/([a-z-]+)\/(?:\{id\}|\[id=id\]|\[code\])/g, (whole, seg: string) => {
		const prefixed =
			whole.startsWith('/sites/') && door.path.startsWith('/admin/') ? 'admin/sites' : seg;
		const kind = door.path.startsWith('/admin/users')
			? 'admin/users'
			: (PAGE_KINDS[seg] ?? prefixed);
		const id = GLOBAL_IDS[kind] ?? at[kind] ?? 999_999;
		return `/${seg}/${id}`;
	});
	const action = door.action?.name;
	return action && action !== 'default' ? `${path}?/${action}` : path;
}

/**
 * A form action's probe: each field that names a record gets that record at the target's site
 * (so access is decided on it), every other field a NUL character (refused by every text, date
 * and number parser). A monitor's query step is a close, the step that is the monitor's.
 */
function probeForm(door: Door, s: Subject, target: Target): URLSearchParams {
	const at = target === 'other' ? records.other : records.own;
	const form = new URLSearchParams();
	for (const field of door.action!.fields) {
		const kind = FORM_RECORD_FIELDS[field];
		if (kind) form.set(field, String(GLOBAL_IDS[kind] ?? at[kind] ?? 999_999));
		else if (field === 'record') form.set(field, `adverse_event:${at['adverse-events']}:`);
		else if (field === 'id' && door.path.endsWith('/on-call')) {
			form.set(field, String(at[s.role === 'admin' ? 'admin on-call' : 'on-call']));
		} else if (field === 'id' && door.path === '/account/tokens') {
			form.set(field, String(s.ownTokenId ?? 999_999));
		} else if (field === 'step' && s.role === 'monitor') form.set(field, 'close');
		else form.set(field, '\u0000');
	}
	return form;
}

/** Whether the door addresses one record that belongs to a site. */
const siteScoped = (door: Door) =>
	(/\[(id=id|code)\]|\{id\}/.test(door.path) &&
		!/^\/api\/v1\/studies\/|^\/admin\//.test(door.path)) ||
	BODY_SCOPED_FIELDS.some((f) => door.action?.fields.includes(f));

function expected(rule: DoorRule, door: Door, s: Subject, target: Target): Expected {
	if (rule.public) return 'allow';
	if (s.token === 'revoked' || s.token === 'expired' || !s.role) return 'sign-in';
	if (s.token === 'read' && door.method !== 'GET') return 'refuse';
	const reach = rule.allow[s.role];
	if (!reach) return 'refuse';
	if (target === '-' || reach !== 'site') return 'allow';
	return s.holds === 'own' && target === 'own' ? 'allow' : 'hide';
}

function classify(res: Response, door: Door): Seen {
	if (res.status >= 500) return `error ${res.status}`;
	if (res.status === 401) return 'sign-in';
	// Signing out (here, or everywhere) ends on the sign-in page: that is its success.
	if (res.status === 303 && ENDS_SESSION.test(door.key)) return 'allow';
	if (res.status >= 300 && res.status < 400) {
		return (res.headers.get('location') ?? '').startsWith('/login') ? 'sign-in' : 'allow';
	}
	if (res.status === 403) return 'refuse';
	if (res.status === 404) return 'hide';
	return 'allow';
}

/** A public door may send anyone on (a redirect to sign in is its answer); never a 5xx. */
function agrees(rule: DoorRule, door: Door, r: Result): boolean {
	if (rule.public) return !r.seen.startsWith('error');
	const want = expected(rule, door, r.subject, r.target);
	// A role that may never pass may hear 403 or 404; another site's record is always 404.
	if (want === 'refuse') return r.seen === 'refuse' || r.seen === 'hide';
	return r.seen === want;
}

interface Case {
	door: Door;
	subject: Subject;
	target: Target;
}

function casesOf(door: Door): Case[] {
	const scoped = siteScoped(door);
	return subjects
		.filter((s) => !s.token || door.kind === 'api')
		.flatMap((subject) => {
			const targets: Target[] = !scoped
				? ['-']
				: subject.holds === 'own'
					? ['own', 'other']
					: ['own'];
			return targets.map((target) => ({ door, subject, target }));
		});
}

interface Result extends Case {
	seen: Seen;
	status: number;
	/** A one-site caller's list that names a record of the other site. */
	leak: string | null;
	/** Audit entries a write wrote under its request id (a refused one must write none). */
	changes: string[];
}

async function auditEntriesOf(requestId: string | null): Promise<string[]> {
	if (!requestId) return ['(no request id)'];
	const rows = await opened.db
		.selectFrom('audit_event')
		.select('action')
		.where('request_id', '=', requestId)
		.execute();
	return rows.map((r) => r.action).filter((a) => !REFUSAL_ENTRIES.test(a));
}

async function call(c: Case): Promise<Result> {
	const url = `${server.base}${urlOf(c.door, c.target)}`;
	const write = c.door.method !== 'GET';
	const form = c.door.action ? probeForm(c.door, c.subject, c.target) : null;
	const ends = ENDS_SESSION.test(c.door.key) && c.subject.freshSession;
	const res = await fetch(url, {
		method: c.door.method,
		headers: {
			...(ends ? await c.subject.freshSession!() : c.subject.headers),
			...(write && !form ? { 'content-type': 'application/json' } : {}),
			// As a browser without JavaScript posts a form: the answer is the page, with the
			// action's status (asking for JSON gets SvelteKit's 200 with the status inside).
			...(form ? { accept: 'text/html' } : {}),
			...(write ? { origin: server.base } : {})
		},
		body: form ?? (write ? JSON.stringify(PROBE_BODY) : undefined),
		redirect: 'manual'
	});
	const type = res.headers.get('content-type') ?? '';
	let leak: string | null = null;
	if (
		type.includes('application/json') &&
		c.subject.holds === 'own' &&
		c.target === '-' &&
		res.ok
	) {
		const text = await res.text();
		const m = /"(siteCode|siteId|subjectCode)":"?(02|2\b|02-\d+)/.exec(text);
		leak = m ? m[0] : null;
	} else {
		await res.body?.cancel();
	}
	const seen = classify(res, c.door);
	const refused = seen === 'refuse' || seen === 'hide' || seen === 'sign-in';
	const changes = write && refused ? await auditEntriesOf(res.headers.get('x-request-id')) : [];
	return { ...c, seen, status: res.status, leak, changes };
}

async function inPool<T, R>(items: T[], size: number, work: (t: T) => Promise<R>): Promise<R[]> {
	const out: R[] = new Array(items.length);
	let next = 0;
	await Promise.all(
		Array.from({ length: size }, async () => {
			while (next < items.length) {
				const i = next++;
				out[i] = await work(items[i]!);
			}
		})
	);
	return out;
}

const doors = httpDoors();
const results = new Map<string, Result[]>();

beforeAll(async () => {
	server = await startOwnServer('access-matrix', {
		VIGIL_DEMO_PARTICIPANTS: '6',
		VIGIL_SECOND_FACTOR_ROLES: 'none'
	});
	await makeSubjects();
	await findRecords();
	// Writes last: a lock or a status change made by an allowed call must not change the reads.
	// The doors that end the caller's session come after everything else.
	const rank = (d: Door) => (ENDS_SESSION.test(d.key) ? 2 : d.method !== 'GET' ? 1 : 0);
	const ordered = [...doors].sort((a, b) => rank(a) - rank(b));
	for (const door of ordered) results.set(door.key, await inPool(casesOf(door), 4, call));
	if (process.env.VIGIL_ACCESS_OBSERVE) {
		const rows = [...results.values()].flat().map((r) => ({
			key: r.door.key,
			subject: r.subject.name,
			role: r.subject.role,
			holds: r.subject.holds,
			target: r.target,
			seen: r.seen,
			status: r.status,
			leak: r.leak,
			changes: r.changes
		}));
		writeFileSync(process.env.VIGIL_ACCESS_OBSERVE, JSON.stringify(rows, null, 1));
	}
}, 600_000);

afterAll(async () => {
	// The server first: a destroy that times out on a loaded machine must not leave it running.
	server?.stop();
	await opened?.db.destroy();
});

describe('every door answers each caller as the access matrix says', () => {
	for (const door of doors) {
		it(`${door.key}`, () => {
			const rule = ACCESS_MATRIX[door.key];
			expect(rule, `${door.key} is missing from src/lib/access/matrix.ts`).toBeDefined();
			const wrong = results
				.get(door.key)!
				.filter((r) => !agrees(rule!, door, r) || r.leak || r.changes.length > 0)
				.map(
					(r) =>
						`${r.subject.name} on ${r.target === '-' ? 'the door' : `a record of the ${r.target} site`}: ` +
						`${r.status} (${r.seen}), expected ` +
						`${expected(rule!, door, r.subject, r.target)}${r.leak ? `; leaks ${r.leak}` : ''}` +
						(r.changes.length ? `; refused yet wrote ${r.changes.join(', ')}` : '')
				);
			expect(wrong).toEqual([]);
		});
	}
});
