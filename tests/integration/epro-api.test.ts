// Participant self-report (ePRO) through the JSON API: the +server.ts handlers called as SvelteKit
// calls them, on the running app's database (SQLite in memory, or PostgreSQL with
// VIGIL_TEST_DB=postgres). Staff doors are checked like the trial page (a coordinator at the
// participant's site issues and revokes; read-only roles read; another site's staff get "not
// found"). The participant's door has no staff session or API token: the link's token is the
// credential, once, until it expires. Staff cannot change the answers, and no body names an arm.
import type { RequestEvent } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserActor } from '../../src/lib/server/runtime/context';
import { recordScaleAdministration } from '../../src/lib/server/services/capture/scales';
import { listVisits } from '../../src/lib/server/services/capture/visits';
import { randomiseParticipant } from '../../src/lib/server/services/trial/randomisation';
import { issueEproLink } from '../../src/lib/server/services/trial/epro';
import * as linksApi from '../../src/routes/api/v1/participants/[id=id]/epro-links/+server';
import * as reportsApi from '../../src/routes/api/v1/participants/[id=id]/self-reports/+server';
import * as revokeApi from '../../src/routes/api/v1/epro-links/[id=id]/revocation/+server';
import * as participantApi from '../../src/routes/api/v1/epro/[token]/+server';
import * as scaleApi from '../../src/routes/api/v1/scale-administrations/[id=id]/+server';
import { actorFor, enrolledParticipant, type TestDb } from '../helpers/db';
import { callEndpoint, startedApp } from '../helpers/app';

let t: TestDb;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

beforeAll(async () => {
	t = await startedApp();
});
afterAll(async () => {
	await t.db.destroy();
});

const ARMS = /MDMA-assisted therapy|Placebo with therapy|"arm"|"MDMA"|"PBO"/;

async function staff(
	handler: unknown,
	user: UserActor,
	id: number,
	opts: { method?: string; body?: unknown } = {}
): Promise<{ status: number; body: Json; requestId: string }> {
	const r = await callEndpoint(handler as Parameters<typeof callEndpoint>[0], user, {
		...opts,
		params: { id: String(id) }
	});
	expect(JSON.stringify(r.json)).not.toMatch(ARMS);
	return { status: r.status, body: r.json, requestId: r.requestId };
}

let participantRequests = 0;
/** The participant's request: no user, no token header; only the link's token in the path. */
async function asParticipant(
	method: 'GET' | 'POST',
	token: string,
	body?: unknown
): Promise<{ status: number; body: Json }> {
	participantRequests += 1;
	const url = new URL(`http://localhost/api/v1/epro/${token}`);
	const request = new Request(url, {
		method,
		headers: method === 'POST' ? { 'content-type': 'application/json' } : {},
		body: method === 'POST' ? JSON.stringify(body ?? {}) : undefined
	});
	const event = {
		request,
		url,
		params: { token },
		locals: {
			user: null,
			requestId: `req-participant-${participantRequests}`,
			mustChangePassword: false,
			mustEnrolSecondFactor: false
		}
	} as unknown as RequestEvent;
	const handler = method === 'GET' ? participantApi.GET : participantApi.POST;
	const res = await handler(event as never);
	const json = (await res.json()) as Json;
	expect(JSON.stringify(json)).not.toMatch(ARMS);
	return { status: res.status, body: json };
}

const answers = (item9: string) =>
	Object.fromEntries(Array.from({ length: 9 }, (_, i) => [String(i + 1), i === 8 ? item9 : '1']));

async function auditOf(requestId: string): Promise<string[]> {
	const rows = await t.db
		.selectFrom('audit_event')
		.select('action')
		.where('request_id', '=', requestId)
		.execute();
	return rows.map((r) => r.action);
}

/** Enrolled, baseline MADRS, randomised: an arm exists that no answer here may name. */
async function randomisedParticipant(c: Awaited<ReturnType<typeof actorFor>>) {
	const p = await enrolledParticipant(t, 'A1', '2026-09-01');
	const bl = (await listVisits(c, p.id)).find((v) => v.visit_code === 'BL')!;
	await recordScaleAdministration(c, p.id, {
		instrument: 'MADRS',
		visitId: String(bl.id),
		administeredAt: '2026-09-05T10:00',
		items: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [String(i + 1), '4']))
	});
	await randomiseParticipant(c, p.id);
	return p;
}

describe('self-report links through the API', () => {
	it('a coordinator issues a link; the participant answers once by its token; staff read but cannot change the answers', async () => {
		const c = await actorFor(t, 'coordinator', ['A1']);
		const auditor = (await actorFor(t, 'auditor', ['A1'])).actor;
		const elsewhere = (await actorFor(t, 'coordinator', ['B1'])).actor;
		const p = await randomisedParticipant(c);

		// Access as on the trial page: a read-only role may not issue, another site's staff do not
		// find the participant, a bad body is a field error.
		const body = { instrument: 'PHQ9', mode: 'link' };
		expect((await staff(linksApi.POST, auditor, p.id, { body })).status).toBe(403);
		expect((await staff(linksApi.POST, elsewhere, p.id, { body })).status).toBe(404);
		const bad = await staff(linksApi.POST, c.actor, p.id, { body: { instrument: 'MADRS' } });
		expect(bad.status).toBe(422);
		expect(bad.body.error.fields.map((f: { path: string }) => f.path).sort()).toEqual([
			'instrument',
			'mode'
		]);

		const issued = await staff(linksApi.POST, c.actor, p.id, { body });
		expect(issued.status).toBe(201);
		expect(issued.body).toMatchObject({
			instrument: 'PHQ9',
			mode: 'link',
			token: expect.stringMatching(/^[a-z2-7]{32}$/),
			path: `/epro/${issued.body.token}`
		});
		expect(await auditOf(issued.requestId)).toEqual(['epro.link_issue']);
		const listed = await staff(linksApi.GET, auditor, p.id);
		expect(listed.status).toBe(200);
		expect(listed.body.links).toEqual([
			expect.objectContaining({ id: issued.body.id, usedAt: null, administrationId: null })
		]);
		expect(JSON.stringify(listed.body)).not.toContain(issued.body.token);
		expect((await staff(linksApi.GET, elsewhere, p.id)).status).toBe(404);

		// The participant: the form, then a missing answer (422, by item), then the answers (201).
		const token = issued.body.token as string;
		const form = await asParticipant('GET', token);
		expect(form.status).toBe(200);
		expect(form.body.instrument).toBe('PHQ9');
		expect(form.body.items).toHaveLength(10);
		const { 9: _nine, ...missing } = answers('0');
		const incomplete = await asParticipant('POST', token, { items: missing });
		expect(incomplete.status).toBe(422);
		expect(incomplete.body.error.fields.map((f: { path: string }) => f.path)).toContain('items.9');
		const sent = await asParticipant('POST', token, {
			items: answers('2'),
			deviceTime: new Date().toISOString(),
			deviceZone: 'Europe/Oslo'
		});
		expect(sent).toEqual({ status: 201, body: { received: true } });

		// Used: refused, on both methods.
		expect((await asParticipant('GET', token)).status).toBe(410);
		expect((await asParticipant('POST', token, { items: answers('0') })).status).toBe(410);
		// A token never issued.
		expect((await asParticipant('GET', 'a'.repeat(32))).status).toBe(404);

		// Staff read the self-report, scored and flagged as the participant's; they cannot edit it.
		const reports = await staff(reportsApi.GET, auditor, p.id);
		expect(reports.status).toBe(200);
		expect(reports.body.selfReports).toHaveLength(1);
		const report = reports.body.selfReports[0];
		expect(report.link.id).toBe(issued.body.id);
		expect(report.administration).toMatchObject({ instrument: 'PHQ9', total: 10 });
		expect((await staff(reportsApi.GET, elsewhere, p.id)).status).toBe(404);
		const edit = await staff(scaleApi.PATCH, c.actor, report.administration.id, {
			method: 'PATCH',
			body: { items: answers('0'), reason: 'The participant meant 0' }
		});
		expect(edit.status).toBe(409);
		expect(await auditOf(edit.requestId)).toEqual([]);
		const after = await staff(scaleApi.GET, c.actor, report.administration.id);
		expect(after.body.answers['9']).toBe(2);
		const flags = await t.db
			.selectFrom('flag')
			.select('rule_id')
			.where('participant_id', '=', p.id)
			.execute();
		expect(flags.map((f) => f.rule_id).join(' ')).toMatch(/PHQ9/i);
	});

	it('an expired link and a revoked one are refused; only an unused link can be revoked, by the site’s coordinator', async () => {
		const c = await actorFor(t, 'coordinator', ['A1']);
		const auditor = (await actorFor(t, 'auditor', ['A1'])).actor;
		const p = await randomisedParticipant(c);

		// Issued two days ago with the default 24-hour lifetime (the service, on that day's clock):
		// expired now.
		const past = await actorFor(
			t,
			'coordinator',
			['A1'],
			() => new Date(Date.now() - 2 * 86_400_000)
		);
		const old = { body: await issueEproLink(past, p.id, { instrument: 'PHQ9', mode: 'link' }) };
		expect((await asParticipant('GET', old.body.token)).status).toBe(410);
		expect((await asParticipant('POST', old.body.token, { items: answers('0') })).status).toBe(410);
		expect((await staff(revokeApi.POST, c.actor, old.body.id, { body: {} })).status).toBe(409);

		const open = await staff(linksApi.POST, c.actor, p.id, {
			body: { instrument: 'PHQ9', mode: 'kiosk' }
		});
		expect((await staff(revokeApi.POST, auditor, open.body.id, { body: {} })).status).toBe(403);
		const revoked = await staff(revokeApi.POST, c.actor, open.body.id, { body: {} });
		expect(revoked.status).toBe(200);
		expect(Date.parse(revoked.body.expiresAt)).toBeLessThanOrEqual(Date.now());
		expect(await auditOf(revoked.requestId)).toEqual(['epro.link_revoke']);
		const refused = await asParticipant('GET', open.body.token);
		expect(refused.status).toBe(410);
		expect(refused.body.error.message).toMatch(/expired/);
		expect((await staff(revokeApi.POST, c.actor, open.body.id, { body: {} })).status).toBe(409);

		// A used link keeps its answers: revoking it is refused.
		const used = await staff(linksApi.POST, c.actor, p.id, {
			body: { instrument: 'PHQ9', mode: 'link' }
		});
		expect((await asParticipant('POST', used.body.token, { items: answers('0') })).status).toBe(
			201
		);
		const late = await staff(revokeApi.POST, c.actor, used.body.id, { body: {} });
		expect(late.status).toBe(409);
		expect(late.body.error.message).toMatch(/already used/);
	});
});
