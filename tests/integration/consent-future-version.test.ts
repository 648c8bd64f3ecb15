// A consent form version approved for a later date (reported from a shared test server: after one
// was saved, enrolments through /sites/01 stopped going through). The version is saved, enrolment
// through the site page and the API keeps working, a new participant's missing consent is named
// plainly, and the version in use now is the one consent is recorded on. A version becomes
// "required" at the start of its "in use from" day at each site, not at UTC midnight: read as UTC,
// a version dated tomorrow was already required at 19:00 today in New York.
import type { RequestEvent } from '@sveltejs/kit';
import { isRedirect } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toLocalInput } from '../../src/lib/domain/time';
import {
	addFormVersion,
	participantConsent,
	reconsentList,
	recordConsent
} from '../../src/lib/server/services/trial/consent';
import { actions as consentPage } from '../../src/routes/consent/+page.server';
import { actions as sitePage } from '../../src/routes/sites/[code]/+page.server';
import { actions as trialPage } from '../../src/routes/participants/[id=id]/trial/+page.server';
import * as participantsApi from '../../src/routes/api/v1/participants/+server';
import { actorFor, enrolledParticipant, type TestDb } from '../helpers/db';
import { callEndpoint, startedApp } from '../helpers/app';
import { ValidationError } from '../../src/lib/server/runtime/errors';

let t: TestDb;
beforeAll(async () => {
	t = await startedApp();
});
afterAll(async () => {
	await t.db.destroy();
});

/** A form post to a page action, as SvelteKit hands it over; a redirect comes back as its target. */
async function post(
	action: ((event: never) => unknown) | undefined,
	user: unknown,
	params: Record<string, string>,
	fields: Record<string, string>
): Promise<Record<string, unknown>> {
	const body = new FormData();
	for (const [k, v] of Object.entries(fields)) body.set(k, v);
	const event = {
		request: new Request('http://localhost/page', { method: 'POST', body }),
		url: new URL('http://localhost/page'),
		params,
		locals: { user, requestId: 'req-page', mustChangePassword: false, mustEnrolSecondFactor: false }
	} as unknown as RequestEvent;
	try {
		return (await action!(event as never)) as Record<string, unknown>;
	} catch (e) {
		if (isRedirect(e)) return { redirect: e.location };
		throw e;
	}
}

const DAY = 86_400_000;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

describe('a consent form version approved for a later date', () => {
	it('is saved; enrolment through the site page and the API still completes; consent is recorded on the version in use', async () => {
		const admin = await actorFor(t, 'admin', []);
		const c = await actorFor(t, 'coordinator', ['A1']);
		const now = new Date();
		const current = await addFormVersion(admin, t.studyId, {
			label: '1.0',
			approvedOn: isoDay(new Date(now.getTime() - 60 * DAY)),
			activeFrom: isoDay(new Date(now.getTime() - 50 * DAY)),
			reconsentRequired: false
		});
		// The shared server's case: approved and in use only from a far date; and one that will
		// require re-consent from next month.
		for (const [label, approvedOn, activeFrom, reconsent] of [
			['9.1', '2031-03-01', '2031-04-01', ''],
			['9.2', isoDay(now), isoDay(new Date(now.getTime() + 30 * DAY)), 'on']
		]) {
			const saved = await post(
				consentPage.add,
				admin.actor,
				{},
				{
					studyId: String(t.studyId),
					label: label!,
					approvedOn: approvedOn!,
					activeFrom: activeFrom!,
					reconsentRequired: reconsent!,
					summary: 'For later'
				}
			);
			expect(saved).toEqual({ saved: true });
		}

		const enrolled = await post(
			sitePage.enrol,
			c.actor,
			{ code: 'A1' },
			{
				studyId: String(t.studyId),
				subjectCode: 'A1-101',
				sex: 'F',
				birthYear: '1980',
				doseGroup: '120 mg',
				status: 'enrolled'
			}
		);
		expect(enrolled.redirect).toMatch(/^\/participants\/\d+$/);
		const api = await callEndpoint(participantsApi.POST as never, c.actor, {
			body: {
				studyId: t.studyId,
				siteId: t.siteA,
				subjectCode: 'A1-102',
				sex: 'M',
				birthYear: 1975,
				doseGroup: '120 mg',
				status: 'enrolled'
			}
		});
		expect(api.status).toBe(201);

		// A new participant has no consent yet: said plainly, and no later version is "required".
		const id = Number(String(enrolled.redirect).split('/')[2]);
		const before = await participantConsent(c, id);
		expect(before.validity).toMatchObject({
			valid: false,
			reason: 'no-consent',
			message: 'No informed consent is recorded.',
			required: null
		});

		// Recorded on the version in use today; the one for later is refused, naming its day.
		const signedAt = toLocalInput(new Date(now.getTime() - 10 * 60_000), 'Europe/Oslo');
		const fields = (formVersionId: number) => ({
			formVersionId: String(formVersionId),
			signedAt,
			signer: 'participant',
			obtainedByName: 'Dr Ines Investigator'
		});
		const later = before.versions.find((v) => v.label === '9.2')!;
		const refused = await post(trialPage.consent, c.actor, { id: String(id) }, fields(later.id));
		expect(refused).toMatchObject({
			status: 422,
			data: { errors: { signedAt: [expect.stringMatching(/Version 9\.2 was not in use before/)] } }
		});
		const ok = await post(trialPage.consent, c.actor, { id: String(id) }, fields(current.id));
		expect(ok).toEqual({ saved: 'consent' });
		const after = await participantConsent(c, id);
		expect(after.validity).toMatchObject({ valid: true, version: { label: '1.0' } });
		expect((await reconsentList(c, t.studyId)).map((r) => r.subjectCode)).not.toContain('A1-101');
	});
});

describe('"in use from" is the site’s own day', () => {
	// 2026-11-10 in use from; New York is UTC−5 then, Oslo UTC+1.
	const at = (iso: string) => () => new Date(iso);

	it('in New York, a re-consent version dated tomorrow is not required this evening, and is from its own midnight', async () => {
		const admin = await actorFor(t, 'admin', [], at('2026-10-01T12:00:00Z'));
		const v1 = await addFormVersion(admin, t.studyId, {
			label: 'NY-1',
			approvedOn: '2026-09-01',
			activeFrom: '2026-09-02',
			reconsentRequired: false
		});
		await addFormVersion(admin, t.studyId, {
			label: 'NY-2',
			approvedOn: '2026-11-01',
			activeFrom: '2026-11-10',
			reconsentRequired: true
		});
		const p = await enrolledParticipant(t, 'B1', '2026-09-10');
		const early = await actorFor(t, 'coordinator', ['B1'], at('2026-09-10T15:00:00Z'));
		await recordConsent(early, p.id, {
			formVersionId: String(v1.id),
			signedAt: '2026-09-10T09:00',
			signer: 'participant',
			obtainedByName: 'Dr Berg'
		});
		// 20:00 on 9 November in New York is 01:00 UTC on the 10th.
		const evening = await actorFor(t, 'coordinator', ['B1'], at('2026-11-10T01:00:00Z'));
		expect((await participantConsent(evening, p.id)).validity.valid).toBe(true);
		expect((await reconsentList(evening, t.studyId)).map((r) => r.subjectCode)).not.toContain(
			p.subjectCode
		);
		// 00:30 on the 10th in New York.
		const midnight = await actorFor(t, 'coordinator', ['B1'], at('2026-11-10T05:30:00Z'));
		expect((await participantConsent(midnight, p.id)).validity).toMatchObject({
			valid: false,
			reason: 'reconsent-required'
		});
		expect((await reconsentList(midnight, t.studyId)).map((r) => r.subjectCode)).toContain(
			p.subjectCode
		);
	});

	it('in Oslo, consent signed at 00:30 on a version’s first day is on that version; at 23:30 the day before it is refused', async () => {
		const admin = await actorFor(t, 'admin', [], at('2026-10-01T12:00:00Z'));
		const v = await addFormVersion(admin, t.studyId, {
			label: 'OSL-1',
			approvedOn: '2026-11-01',
			activeFrom: '2026-11-10',
			reconsentRequired: false
		});
		const p = await enrolledParticipant(t, 'A1', '2026-11-01');
		const c = await actorFor(t, 'coordinator', ['A1'], at('2026-11-10T12:00:00Z'));
		const sign = (signedAt: string) =>
			recordConsent(c, p.id, {
				formVersionId: String(v.id),
				signedAt,
				signer: 'participant',
				obtainedByName: 'Dr Berg'
			});
		const refused = await sign('2026-11-09T23:30').catch((e: unknown) => e);
		expect(refused).toBeInstanceOf(ValidationError);
		expect((refused as ValidationError).fieldErrors.signedAt?.[0]).toMatch(
			/not in use before 2026-11-10/
		);
		await expect(sign('2026-11-10T00:30')).resolves.toMatchObject({
			signed_at: '2026-11-09T23:30:00.000Z'
		});
	});
});
