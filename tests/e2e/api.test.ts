// The JSON API from outside, against the built server: tokens made on the account page, errors in
// one shape, site scoping, a monitor batch, and a document that lists every route.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { expectAccessible, openContext, signIn } from './setup/browser';

const base = () => inject('baseUrl');
const API_DIR = join(process.cwd(), 'src/routes/api/v1');

async function signInCookie(email: string): Promise<string> {
	const res = await fetch(`${base()}/login`, {
		method: 'POST',
		headers: { origin: base(), 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ email, password: inject('demoPassword') }),
		redirect: 'manual'
	});
	const match = /vigil_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '');
	if (!match) throw new Error(`sign-in failed: ${res.status}`);
	return `vigil_session=${match[1]}`;
}

/** Creates a token through the account page's form, as a person would, and reads it off the page. */
async function tokenFor(email: string): Promise<string> {
	const res = await fetch(`${base()}/account/tokens?/create`, {
		method: 'POST',
		headers: {
			origin: base(),
			cookie: await signInCookie(email),
			'content-type': 'application/x-www-form-urlencoded'
		},
		body: new URLSearchParams({ name: 'e2e script' })
	});
	const token = /vgl_[a-z2-7]{32}/.exec(await res.text())?.[0];
	if (!token) throw new Error(`no token on the page: ${res.status}`);
	return token;
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function call(token: string, method: string, path: string, body?: unknown) {
	const res = await fetch(`${base()}/api/v1${path}`, {
		method,
		headers: {
			authorization: `Bearer ${token}`,
			...(body === undefined ? {} : { 'content-type': 'application/json' })
		},
		body: body === undefined ? undefined : JSON.stringify(body)
	});
	return { status: res.status, body: (await res.json()) as Json };
}

const paths = (fields: Array<{ path: string }>) => fields.map((f) => f.path);
const isoMinutesAgo = (minutes: number) =>
	new Date(Date.now() - minutes * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');

let coordinator: string;
let coordinator2: string;
let site01: number;
let site02: number;
let studyId: number;

beforeAll(async () => {
	coordinator = await tokenFor('coordinator@demo.vigil.test');
	coordinator2 = await tokenFor('coordinator2@demo.vigil.test');
	site01 = (await call(coordinator, 'GET', '/sites')).body.sites[0].id;
	site02 = (await call(coordinator2, 'GET', '/sites')).body.sites[0].id;
	studyId = (await call(coordinator, 'GET', '/studies')).body.studies[0].id;
});

/**
 * Enrols a participant at a site under a random code. Every browser test shares one server and
 * picks codes on its own: a code already taken (409) is drawn again.
 */
async function newParticipant(token: string, siteId: number, site: string) {
	const enrolledOn = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
	for (let tries = 0; ; tries++) {
		const r = await call(token, 'POST', '/participants', {
			siteId,
			studyId,
			subjectCode: randomCode(site),
			sex: 'F',
			birthYear: 1980,
			doseGroup: '120 mg',
			status: 'enrolled',
			enrolledOn
		});
		if (r.status !== 409 || tries >= 10) return r;
	}
}

const randomCode = (site: string) => `${site}-${1000 + Math.floor(Math.random() * 9000)}`;

describe('authentication', () => {
	it('answers 401 in the JSON error shape without credentials or with a bad token', async () => {
		const none = await fetch(`${base()}/api/v1/participants`);
		expect(none.status).toBe(401);
		expect(none.headers.get('www-authenticate')).toBe('Bearer');
		const body = (await none.json()) as Json;
		expect(body).toEqual({ error: { status: 401, message: expect.any(String), fields: [] } });
		const bad = await call(`vgl_${'a'.repeat(32)}`, 'GET', '/participants');
		expect(bad.status).toBe(401);
	});

	it('works with a bearer token, and with the session cookie only for JSON writes', async () => {
		const studies = await call(coordinator, 'GET', '/studies');
		expect(studies.status).toBe(200);
		expect(studies.body.studies[0]).toEqual({
			id: studyId,
			code: expect.any(String),
			title: expect.any(String)
		});
		const cookie = await signInCookie('coordinator@demo.vigil.test');
		const read = await fetch(`${base()}/api/v1/sites`, { headers: { cookie } });
		expect(((await read.json()) as Json).sites.map((s: Json) => s.code)).toEqual(['01']);
		const post = (origin: string, type: string) =>
			fetch(`${base()}/api/v1/participants`, {
				method: 'POST',
				headers: { cookie, origin, 'content-type': type },
				body: JSON.stringify({ siteId: site01, studyId })
			});
		// A cross-site form post is refused by SvelteKit; a non-JSON write by the API itself.
		expect((await post('https://evil.example', 'text/plain')).status).toBe(403);
		const plain = await post(base(), 'text/plain');
		expect(plain.status).toBe(415);
		expect(((await plain.json()) as Json).error.status).toBe(415);
		const sameOriginJson = await fetch(`${base()}/api/v1/participants`, {
			method: 'POST',
			headers: { cookie, 'content-type': 'application/json' },
			body: JSON.stringify({ siteId: site01, studyId })
		});
		expect(sameOriginJson.status).toBe(422);
	});
});

describe('errors', () => {
	it('answers 422 with each field path for a bad participant', async () => {
		const res = await call(coordinator, 'POST', '/participants', {
			siteId: site01,
			studyId,
			subjectCode: 'not a code',
			sex: 'X'
		});
		expect(res.status).toBe(422);
		expect(res.body.error.status).toBe(422);
		expect(paths(res.body.error.fields)).toEqual(
			expect.arrayContaining(['subjectCode', 'sex', 'birthYear', 'doseGroup', 'status'])
		);
		const noSite = await call(coordinator, 'POST', '/participants', { studyId });
		expect(paths(noSite.body.error.fields)).toContain('siteId');
	});

	it("answers 404 for another site's participant and for ids that are not numbers", async () => {
		const created = await newParticipant(coordinator2, site02, '02');
		expect(created.status).toBe(201);
		const code: string = created.body.subjectCode;
		expect(created.body).toMatchObject({ subjectCode: code, siteId: site02, status: 'enrolled' });
		expect(created.body).not.toHaveProperty('created_by');
		const theirs = await call(coordinator, 'GET', `/participants/${created.body.id}`);
		expect(theirs.status).toBe(404);
		expect(JSON.stringify(theirs.body)).not.toContain(code);
		const write = await call(coordinator, 'POST', `/participants/${created.body.id}/status`, {
			status: 'completed'
		});
		expect(write.status).toBe(404);
		// Access comes before validation: a bad body for a record the caller may not see is a 404
		// too, never a 422 that would confirm the record exists.
		const badWrite = await call(coordinator, 'POST', `/participants/${created.body.id}/status`, {
			status: 'nonsense'
		});
		expect(badWrite.status).toBe(404);
		for (const id of ['abc', '0', '-1', '1e3', '01', '99999999999999999999']) {
			const r = await call(coordinator, 'GET', `/participants/${id}`);
			expect(r.status, id).toBe(404);
			expect(r.body.error, id).toMatchObject({ status: 404, message: 'Not found.' });
		}
		const mine = await call(coordinator, 'GET', '/participants');
		expect(mine.body.participants.every((p: Json) => p.siteId === site01)).toBe(true);
	});
});

describe('a dosing session from a monitor', () => {
	it('saves a vitals batch, reads it back, and refuses a bad batch whole', async () => {
		const p = await newParticipant(coordinator, site01, '01');
		const visits = await call(coordinator, 'GET', `/participants/${p.body.id}/visits`);
		const dosing = visits.body.visits.find((v: Json) => v.kind === 'dosing');
		const start = { visitId: dosing.id, t0: isoMinutesAgo(60), initialDoseMg: 120 };
		// Enrolled today, so dosing now is before the session's window: the API asks for a reason.
		const early = await call(
			coordinator,
			'POST',
			`/participants/${p.body.id}/dosing-sessions`,
			start
		);
		expect(early.status).toBe(409);
		expect(JSON.stringify(early.body)).toContain('deviationReason');
		const session = await call(coordinator, 'POST', `/participants/${p.body.id}/dosing-sessions`, {
			...start,
			deviationReason: 'API test: dosing on the day of enrolment'
		});
		expect(session.status).toBe(201);
		const id = session.body.id;
		const reading = (timepoint: number, minutesAgo: number, systolic: number) => ({
			timepoint,
			takenAt: isoMinutesAgo(minutesAgo),
			systolic,
			diastolic: 80,
			heartRate: 72,
			temperature: 36.8
		});
		const batch = await call(coordinator, 'POST', `/dosing-sessions/${id}/vitals/batch`, {
			readings: [reading(-30, 90, 122), reading(30, 30, 131)]
		});
		expect(batch.status).toBe(201);
		expect(batch.body.readings).toHaveLength(2);
		expect(batch.body.readings[1]).toMatchObject({
			systolic: 131,
			source: 'monitor',
			warnings: {}
		});

		const back = await call(coordinator, 'GET', `/dosing-sessions/${id}/vitals`);
		expect(back.body.readings.map((r: Json) => [r.timepoint, r.systolic])).toEqual([
			['PRE-DOSE', 122],
			['30 MIN POST-DOSE', 131]
		]);
		expect(back.body.schedule.length).toBeGreaterThan(2);

		const bad = await call(coordinator, 'POST', `/dosing-sessions/${id}/vitals/batch`, {
			readings: [reading(60, 1, 125), reading(90, 0, 400)]
		});
		expect(bad.status).toBe(422);
		expect(paths(bad.body.error.fields)).toContain('readings.1.systolic');
		const after = await call(coordinator, 'GET', `/dosing-sessions/${id}/vitals`);
		expect(after.body.readings).toHaveLength(2);

		const jump = { ...reading(60, 1, 195) };
		const unconfirmed = await call(coordinator, 'POST', `/dosing-sessions/${id}/vitals`, jump);
		expect(unconfirmed.status).toBe(409);
		expect(paths(unconfirmed.body.error.warnings)).toEqual(['systolic']);
		const confirmed = await call(coordinator, 'POST', `/dosing-sessions/${id}/vitals`, {
			...jump,
			confirmed: true
		});
		expect(confirmed.status).toBe(201);
		const other = await call(coordinator2, 'GET', `/dosing-sessions/${id}/vitals`);
		expect(other.status).toBe(404);
	});
});

describe('the review queue in groups', () => {
	it('acknowledges, acts on and closes one record’s flags, then signs its records in one act', async () => {
		const investigator = await tokenFor('investigator@demo.vigil.test');
		const investigator2 = await tokenFor('investigator2@demo.vigil.test');
		const p = await newParticipant(coordinator, site01, '01');
		const visits = await call(coordinator, 'GET', `/participants/${p.body.id}/visits`);
		const dosing = visits.body.visits.find((v: Json) => v.kind === 'dosing');
		const session = await call(coordinator, 'POST', `/participants/${p.body.id}/dosing-sessions`, {
			visitId: dosing.id,
			t0: isoMinutesAgo(60),
			initialDoseMg: 120,
			deviationReason: 'API test: dosing on the day of enrolment'
		});
		const reading = (timepoint: number, minutesAgo: number, systolic: number) => ({
			timepoint,
			takenAt: isoMinutesAgo(minutesAgo),
			systolic,
			diastolic: systolic > 150 ? 98 : 80,
			confirmed: true
		});
		await call(
			coordinator,
			'POST',
			`/dosing-sessions/${session.body.id}/vitals`,
			reading(-30, 90, 122)
		);
		const high = await call(
			coordinator,
			'POST',
			`/dosing-sessions/${session.body.id}/vitals`,
			reading(30, 30, 176)
		);
		expect(high.status).toBe(201);
		const flags = (
			await call(investigator, 'GET', `/flags?participantId=${p.body.id}&limit=1000`)
		).body.flags.filter(
			(f: Json) => f.sourceType === 'vital_reading' && f.sourceId === high.body.id
		);
		expect(flags.length).toBeGreaterThanOrEqual(2);
		const flagIds = flags.map((f: Json) => f.id);

		// Another site's investigator is told the flags are not there.
		expect((await call(investigator2, 'POST', '/flags/acknowledge', { flagIds })).status).toBe(404);
		const seen = await call(investigator, 'POST', '/flags/acknowledge', { flagIds });
		expect(seen.status).toBe(200);
		expect(seen.body.flags.map((f: Json) => f.status)).toEqual(flagIds.map(() => 'acknowledged'));
		const acted = await call(coordinator, 'POST', '/flags/action', {
			flagIds,
			category: 'recheck',
			text: 'Rechecked after five minutes seated.'
		});
		expect(acted.status).toBe(200);
		const noOutcome = await call(investigator, 'POST', '/flags/close', { flagIds });
		expect(noOutcome.status).toBe(422);
		expect(paths(noOutcome.body.error.fields)).toEqual(['outcome']);
		const closed = await call(investigator, 'POST', '/flags/close', {
			flagIds,
			outcome: 'Settled on recheck.'
		});
		expect(closed.body.flags.map((f: Json) => f.status)).toEqual(flagIds.map(() => 'closed'));
		for (const id of flagIds) {
			expect((await call(investigator, 'GET', `/flags/${id}`)).body).toMatchObject({
				status: 'closed',
				actionCategory: 'recheck',
				outcome: 'Settled on recheck.'
			});
		}

		// The participant's records waiting for a signature, signed in one act.
		const ended = await call(coordinator, 'PATCH', `/dosing-sessions/${session.body.id}`, {
			endedAt: isoMinutesAgo(1)
		});
		expect(ended.status, JSON.stringify(ended.body)).toBe(200);
		const queue = await call(investigator, 'GET', `/review-queue?participantId=${p.body.id}`);
		expect(queue.status).toBe(200);
		expect(queue.body.total).toBeGreaterThanOrEqual(1);
		const records = queue.body.items.map((i: Json) => ({
			entityType: i.entityType,
			entityId: i.entityId,
			version: i.version
		}));
		const signed = await call(investigator, 'POST', '/signatures', {
			userId: 'investigator@demo.vigil.test',
			password: inject('demoPassword'),
			meaning: 'reviewed',
			records
		});
		expect(signed.status).toBe(201);
		expect(signed.body.signatures).toHaveLength(records.length);
		const after = await call(investigator, 'GET', `/review-queue?participantId=${p.body.id}`);
		expect(after.body.total).toBe(0);
	});
});

describe('the API tokens page', () => {
	it('shows a new token once, lists it, and revokes it', async () => {
		const context = await openContext();
		try {
			const page = await context.newPage();
			await signIn(page, 'investigator@demo.vigil.test');
			await page.waitForURL('**/review');
			await page.goto('/account/tokens');
			await page.getByLabel('Name').fill('Review script');
			await page.getByRole('button', { name: 'Create token' }).click();
			const token = (await page.getByTestId('new-token').textContent())!.trim();
			expect(token).toMatch(/^vgl_[a-z2-7]{32}$/);
			await expectAccessible(page);
			expect((await call(token, 'GET', '/studies')).status).toBe(200);

			await page.reload();
			await expect
				.poll(() => page.getByRole('cell', { name: 'Review script', exact: true }).count())
				.toBe(1);
			expect(await page.content()).not.toContain(token);
			await page.getByRole('button', { name: 'Revoke Review script' }).click();
			await page.getByText('Token “Review script” revoked').waitFor();
			expect((await call(token, 'GET', '/studies')).status).toBe(401);
		} finally {
			await context.close();
		}
	});
});

/** Each +server.ts under api/v1 as an OpenAPI path, with the methods it exports. */
function serverFiles(dir = API_DIR): Array<{ path: string; methods: string[] }> {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = join(dir, entry.name);
		if (entry.isDirectory()) return serverFiles(full);
		if (entry.name !== '+server.ts') return [];
		const route = relative(API_DIR, dir).split(sep).filter(Boolean).join('/');
		const path = `/api/v1/${route}`.replace(/\[(\w+)(?:=\w+)?\]/g, '{$1}');
		const source = readFileSync(full, 'utf8');
		const methods = [...source.matchAll(/export const (GET|POST|PATCH|PUT|DELETE)\b/g)];
		return [{ path, methods: methods.map((m) => m[1]!.toLowerCase()) }];
	});
}

describe('the OpenAPI document', () => {
	it('is OpenAPI 3.1 in shape and lists every route and method, and only those', async () => {
		const res = await fetch(`${base()}/api/v1/openapi.json`);
		expect(res.status).toBe(200);
		const doc = (await res.json()) as Json;
		expect(doc.openapi).toBe('3.1.0');
		expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
		expect(doc.components.securitySchemes.bearerAuth).toMatchObject({
			type: 'http',
			scheme: 'bearer'
		});
		const files = serverFiles();
		expect(files.length).toBeGreaterThan(15);
		for (const file of files) {
			expect(file.methods.length, file.path).toBeGreaterThan(0);
			for (const method of file.methods) {
				expect(doc.paths[file.path]?.[method], `${method} ${file.path}`).toBeDefined();
			}
		}
		expect(Object.keys(doc.paths).sort()).toEqual(files.map((f) => f.path).sort());
		const ids = new Set<string>();
		for (const [path, item] of Object.entries(doc.paths as Record<string, Json>)) {
			for (const [method, op] of Object.entries(item)) {
				expect(files.find((f) => f.path === path)?.methods, `${method} ${path}`).toContain(method);
				expect(Object.keys(op.responses).some((s) => /^2\d\d$/.test(s))).toBe(true);
				expect(ids.has(op.operationId)).toBe(false);
				ids.add(op.operationId);
			}
		}
	});

	it('has request bodies from the Zod schemas, and every reference resolves', async () => {
		const doc = (await (await fetch(`${base()}/api/v1/openapi.json`)).json()) as Json;
		const create = doc.paths['/api/v1/participants'].post.requestBody.content['application/json'];
		const schema = doc.components.schemas[create.schema.$ref.split('/').pop()];
		expect(schema.properties.sex.enum).toEqual(['F', 'M', 'U', 'UNDIFFERENTIATED']);
		expect(schema.required).toEqual(expect.arrayContaining(['siteId', 'studyId', 'subjectCode']));
		const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/([^"]+)"/g)].map((m) => m[1]!);
		expect(refs.length).toBeGreaterThan(20);
		for (const ref of refs) {
			const target = ref.split('/').reduce<Json | undefined>((node, key) => node?.[key], doc);
			expect(target, ref).toBeDefined();
		}
	});
});
