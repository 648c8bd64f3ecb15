// The JSON API's doors to consent, randomisation and concomitant medications: the +server.ts
// handlers called as SvelteKit calls them, on the running app's database (SQLite in memory, or
// PostgreSQL with VIGIL_TEST_DB=postgres). The same services as the pages, so the same access:
// a read-only role is forbidden and another site's staff are told "not found", whatever they send;
// field errors name the field; every change leaves its audit entry under the request's id.
import type { RequestHandler } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type UserActor } from '../../src/lib/server/runtime/context';
import { listVisits } from '../../src/lib/server/services/capture/visits';
import { recordScaleAdministration } from '../../src/lib/server/services/capture/scales';
import * as versionsApi from '../../src/routes/api/v1/studies/[id=id]/consent-form-versions/+server';
import * as reconsentApi from '../../src/routes/api/v1/studies/[id=id]/reconsent/+server';
import * as consentsApi from '../../src/routes/api/v1/participants/[id=id]/consents/+server';
import * as withdrawalApi from '../../src/routes/api/v1/consents/[id=id]/withdrawal/+server';
import * as randomisationApi from '../../src/routes/api/v1/participants/[id=id]/randomisation/+server';
import * as conmedsApi from '../../src/routes/api/v1/participants/[id=id]/concomitant-medications/+server';
import * as conmedApi from '../../src/routes/api/v1/concomitant-medications/[id=id]/+server';
import * as conmedErrorApi from '../../src/routes/api/v1/concomitant-medications/[id=id]/entered-in-error/+server';
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

interface Answer {
	status: number;
	body: Json;
	requestId: string;
}

/** Calls a handler as SvelteKit would, signed in as `actor`; JSON in and out. */
async function call(
	handler: RequestHandler | undefined,
	actor: UserActor,
	id: number,
	opts: { method?: string; body?: unknown; query?: string } = {}
): Promise<Answer> {
	const res = await callEndpoint(handler as Parameters<typeof callEndpoint>[0], actor, {
		...opts,
		params: { id: String(id) }
	});
	return { status: res.status, body: res.json, requestId: res.requestId };
}

async function auditOf(requestId: string): Promise<string[]> {
	const rows = await t.db
		.selectFrom('audit_event')
		.select('action')
		.where('request_id', '=', requestId)
		.execute();
	return rows.map((r) => r.action);
}

const fieldsOf = (a: Answer) => (a.body.error.fields as Array<{ path: string }>).map((f) => f.path);

/** Refused as a role (403) or as a stranger to the site (404), and nothing written. */
async function expectRefused(a: Answer, status: 403 | 404) {
	expect(a.status, JSON.stringify(a.body)).toBe(status);
	expect(a.body.error.fields).toEqual([]);
	expect(await auditOf(a.requestId)).toEqual([]);
}

const actor = async (role: Parameters<typeof actorFor>[1], sites: string[]) =>
	(await actorFor(t, role, sites)).actor;

describe('consent through the API', () => {
	it('an admin adds versions; a coordinator records and withdraws consent; others are refused', async () => {
		const admin = await actor('admin', []);
		const coordinator = await actor('coordinator', ['A1']);
		const auditor = await actor('auditor', ['A1']);
		const elsewhere = await actor('coordinator', ['B1']);
		const p = await enrolledParticipant(t, 'A1', '2026-09-01');

		const v1 = {
			label: '1.0',
			approvedOn: '2026-08-01',
			activeFrom: '2026-08-15',
			reconsentRequired: false
		};
		await expectRefused(await call(versionsApi.POST, coordinator, t.studyId, { body: v1 }), 403);
		const early = await call(versionsApi.POST, admin, t.studyId, {
			body: { ...v1, activeFrom: '2026-07-01' }
		});
		expect(early.status).toBe(422);
		expect(fieldsOf(early)).toEqual(['activeFrom']);
		expect(await auditOf(early.requestId)).toEqual([]);
		expect((await call(versionsApi.POST, admin, 999_999, { body: v1 })).status).toBe(404);
		const added = await call(versionsApi.POST, admin, t.studyId, { body: v1 });
		expect(added.status).toBe(201);
		expect(added.body).toMatchObject({ label: '1.0', reconsentRequired: false });
		expect(await auditOf(added.requestId)).toEqual(['consent.form_version_add']);
		const listed = await call(versionsApi.GET, coordinator, t.studyId);
		expect(listed.body.versions.map((v: Json) => v.label)).toEqual(['1.0']);

		const before = await call(consentsApi.GET, coordinator, p.id);
		expect(before.body).toMatchObject({ tracked: true, valid: false, reason: 'no-consent' });

		const consent = {
			formVersionId: added.body.id,
			signedAt: '2026-09-01T08:30',
			signer: 'participant',
			obtainedByName: 'Dr Ines Investigator',
			copyGivenOn: '2026-09-01',
			copyMedium: 'paper'
		};
		// Access is settled before the body is read: a bad body does not change the answer.
		await expectRefused(
			await call(consentsApi.POST, auditor, p.id, { body: { signer: 'x' } }),
			403
		);
		await expectRefused(await call(consentsApi.POST, elsewhere, p.id, { body: consent }), 404);
		await expectRefused(await call(consentsApi.GET, elsewhere, p.id), 404);
		const lar = await call(consentsApi.POST, coordinator, p.id, {
			body: { ...consent, signer: 'lar' }
		});
		expect(lar.status).toBe(422);
		expect(fieldsOf(lar).sort()).toEqual(['larName', 'larRelation']);

		const recorded = await call(consentsApi.POST, coordinator, p.id, { body: consent });
		expect(recorded.status, JSON.stringify(recorded.body)).toBe(201);
		expect(recorded.body).toMatchObject({
			participantId: p.id,
			signer: 'participant',
			signedAt: '2026-09-01T06:30:00.000Z', // 08:30 in Oslo (summer time)
			copyMedium: 'paper'
		});
		expect(await auditOf(recorded.requestId)).toContain('consent.record');
		const after = await call(consentsApi.GET, auditor, p.id);
		expect(after.body).toMatchObject({ valid: true, message: 'Valid: version 1.0.' });
		expect(after.body.records).toHaveLength(1);

		// A new version requiring re-consent puts the participant on the list.
		const v2 = await call(versionsApi.POST, admin, t.studyId, {
			body: {
				label: '2.0',
				approvedOn: '2026-10-01',
				activeFrom: '2026-10-02',
				reconsentRequired: true
			}
		});
		expect(v2.status).toBe(201);
		const list = await call(reconsentApi.GET, coordinator, t.studyId);
		expect(list.body.participants).toEqual([
			expect.objectContaining({
				participantId: p.id,
				currentVersion: '1.0',
				requiredVersion: '2.0'
			})
		]);
		const other = await call(reconsentApi.GET, elsewhere, t.studyId);
		expect(other.body.participants).toEqual([]);
		const again = await call(consentsApi.POST, coordinator, p.id, {
			body: { ...consent, formVersionId: v2.body.id, signedAt: '2026-10-05T09:00' }
		});
		expect(again.status).toBe(422);
		expect(fieldsOf(again)).toEqual(['reason']);
		const reconsented = await call(consentsApi.POST, coordinator, p.id, {
			body: {
				...consent,
				formVersionId: v2.body.id,
				signedAt: '2026-10-05T09:00',
				reconsentReason: 'Version 2.0'
			}
		});
		expect(reconsented.status).toBe(201);
		expect((await call(reconsentApi.GET, coordinator, t.studyId)).body.participants).toEqual([]);

		const withdrawal = { withdrawnAt: '2026-11-01T10:00', scope: 'All further study procedures' };
		await expectRefused(
			await call(withdrawalApi.POST, auditor, reconsented.body.id, { body: withdrawal }),
			403
		);
		await expectRefused(
			await call(withdrawalApi.POST, elsewhere, reconsented.body.id, { body: {} }),
			404
		);
		const bad = await call(withdrawalApi.POST, coordinator, reconsented.body.id, { body: {} });
		expect(bad.status).toBe(422);
		expect(fieldsOf(bad).sort()).toEqual(['scope', 'withdrawnAt']);
		const withdrawn = await call(withdrawalApi.POST, coordinator, reconsented.body.id, {
			body: withdrawal
		});
		expect(withdrawn.status).toBe(200);
		expect(withdrawn.body).toMatchObject({
			withdrawnAt: '2026-11-01T09:00:00.000Z',
			withdrawalScope: 'All further study procedures'
		});
		expect(await auditOf(withdrawn.requestId)).toEqual(['consent.withdraw']);
		expect((await call(consentsApi.GET, coordinator, p.id)).body).toMatchObject({
			valid: false,
			reason: 'withdrawn'
		});
	});
});

describe('randomisation through the API', () => {
	it('a coordinator randomises once, after the baseline scale; the answer carries a kit, never an arm', async () => {
		const coordinator = await actorFor(t, 'coordinator', ['A1']);
		const investigator = await actor('investigator', ['A1']);
		const elsewhere = await actor('coordinator', ['B1']);
		const p = await enrolledParticipant(t, 'A1', '2026-10-01');
		const c = coordinator.actor;

		expect((await call(randomisationApi.GET, investigator, p.id)).body).toMatchObject({
			randomised: false,
			kit: null
		});
		await expectRefused(await call(randomisationApi.POST, investigator, p.id, { body: {} }), 403);
		await expectRefused(await call(randomisationApi.POST, elsewhere, p.id, { body: {} }), 404);
		await expectRefused(await call(randomisationApi.GET, elsewhere, p.id), 404);
		const early = await call(randomisationApi.POST, c, p.id, { body: {} });
		expect(early.status).toBe(422);
		expect(fieldsOf(early)).toEqual(['baseline']);
		expect(await auditOf(early.requestId)).toEqual([]);

		const bl = (await listVisits(coordinator, p.id)).find((v) => v.visit_code === 'BL')!;
		await recordScaleAdministration(coordinator, p.id, {
			instrument: 'MADRS',
			visitId: String(bl.id),
			administeredAt: '2026-10-20T10:00',
			items: Object.fromEntries(Array.from({ length: 10 }, (_, k) => [String(k + 1), '4']))
		});
		const done = await call(randomisationApi.POST, c, p.id, { body: {} });
		expect(done.status, JSON.stringify(done.body)).toBe(201);
		expect(done.body).toMatchObject({ randomised: true, kit: expect.any(String) });
		expect(done.body.stratum).toMatch(/^A1/);
		expect(Object.keys(done.body)).not.toContain('arm');
		expect(JSON.stringify(done.body)).not.toMatch(/\bPBO\b|\bMDMA\b|Placebo/);
		expect(await auditOf(done.requestId)).toContain('randomisation.assign');

		const twice = await call(randomisationApi.POST, c, p.id, { body: {} });
		expect(twice.status).toBe(409);
		const read = await call(randomisationApi.GET, investigator, p.id);
		expect(read.body).toMatchObject({ randomised: true, kit: done.body.kit });
		expect(JSON.stringify(read.body)).not.toMatch(/\bPBO\b|\bMDMA\b|Placebo|"arm"/);
	});
});

describe('concomitant medications through the API', () => {
	it('record, read, correct and mark entered in error, with the interaction warnings', async () => {
		const c = await actor('coordinator', ['A1']);
		const auditor = await actor('auditor', ['A1']);
		const elsewhere = await actor('coordinator', ['B1']);
		const p = await enrolledParticipant(t, 'A1', '2026-10-01');
		const maoi = {
			name: 'Nardil 15 mg',
			ingredient: 'phenelzine',
			dose: 15,
			doseUnit: 'mg',
			start: '2026-01'
		};

		await expectRefused(await call(conmedsApi.POST, auditor, p.id, { body: { name: 1 } }), 403);
		await expectRefused(await call(conmedsApi.POST, elsewhere, p.id, { body: maoi }), 404);
		const bad = await call(conmedsApi.POST, c, p.id, { body: { ...maoi, start: '2026-13' } });
		expect(bad.status).toBe(422);
		expect(fieldsOf(bad)).toEqual(['start']);

		const made = await call(conmedsApi.POST, c, p.id, { body: maoi });
		expect(made.status, JSON.stringify(made.body)).toBe(201);
		expect(made.body).toMatchObject({ atcCode: 'N06AF03', stop: null, enteredInError: null });
		expect(made.body.warnings.join(' ')).toMatch(/serotonin toxicity/);
		const audit = await auditOf(made.requestId);
		expect(audit).toContain('conmed.create');
		expect(audit.some((a) => a.startsWith('flag.'))).toBe(true);

		const one = await call(conmedApi.GET, auditor, made.body.id);
		expect(one.body).toMatchObject({ id: made.body.id, name: 'Nardil 15 mg' });
		await expectRefused(await call(conmedApi.GET, elsewhere, made.body.id), 404);

		// A stop date added to an ongoing medication is no correction; changing a saved dose is.
		const stopped = await call(conmedApi.PATCH, c, made.body.id, {
			method: 'PATCH',
			body: { ...maoi, stop: '2026-02-01' }
		});
		expect(stopped.status, JSON.stringify(stopped.body)).toBe(200);
		expect(stopped.body).toMatchObject({ stop: '2026-02-01', version: 2, warnings: [] });
		const unreasoned = await call(conmedApi.PATCH, c, made.body.id, {
			method: 'PATCH',
			body: { ...maoi, stop: '2026-02-01', dose: 30 }
		});
		expect(unreasoned.status).toBe(422);
		expect(fieldsOf(unreasoned)).toEqual(['reason']);
		expect(await auditOf(unreasoned.requestId)).toEqual([]);
		const corrected = await call(conmedApi.PATCH, c, made.body.id, {
			method: 'PATCH',
			body: { ...maoi, stop: '2026-02-01', dose: 30, reason: 'Chart says 30 mg' }
		});
		expect(corrected.status).toBe(200);
		expect(corrected.body).toMatchObject({ dose: 30, version: 3 });
		expect(await auditOf(corrected.requestId)).toContain('conmed.update');

		await expectRefused(await call(conmedErrorApi.POST, auditor, made.body.id, { body: {} }), 403);
		await expectRefused(
			await call(conmedErrorApi.POST, elsewhere, made.body.id, { body: {} }),
			404
		);
		const noReason = await call(conmedErrorApi.POST, c, made.body.id, { body: {} });
		expect(noReason.status).toBe(422);
		expect(fieldsOf(noReason)).toEqual(['reason']);
		const voided = await call(conmedErrorApi.POST, c, made.body.id, {
			body: { reason: 'Another participant’s chart' }
		});
		expect(voided.status).toBe(200);
		expect(voided.body.enteredInError).toMatchObject({ reason: 'Another participant’s chart' });
		expect((await call(conmedsApi.GET, c, p.id)).body.medications).toEqual([]);
		const all = await call(conmedsApi.GET, c, p.id, { query: '?includeEnteredInError=true' });
		expect(all.body.medications.map((m: Json) => m.id)).toEqual([made.body.id]);
	});
});
