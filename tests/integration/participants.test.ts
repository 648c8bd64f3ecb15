import { describe, expect, it } from 'vitest';
import {
	ConflictError,
	ForbiddenError,
	NotFoundError,
	ValidationError
} from '../../src/lib/server/runtime/errors';
import {
	changeParticipantStatus,
	createParticipant,
	getParticipant,
	listParticipants
} from '../../src/lib/server/services/capture/participants';
import {
	overdueVisitsPage,
	listVisits,
	recordVisit
} from '../../src/lib/server/services/capture/visits';
import { actorFor, enrolledParticipant, type TestDb, freshDbEach } from '../helpers/db';

let t: TestDb;
freshDbEach((db) => (t = db));

const input = (code: string) => ({
	subjectCode: code,
	sex: 'M',
	birthYear: '1975',
	doseGroup: '120 mg',
	status: 'enrolled',
	enrolledOn: '2026-10-01'
});

describe('participants', () => {
	it('a coordinator enrols at their site and the visits are scheduled from the protocol', async () => {
		const c = await actorFor(t, 'coordinator', ['A1']);
		const p = await createParticipant(c, { studyId: t.studyId, siteId: t.siteA }, input('a1-004'));
		expect(p.subject_code).toBe('A1-004');
		const visits = await listVisits(c, p.id);
		expect(visits.length).toBeGreaterThan(5);
		expect(visits.every((v) => v.status === 'scheduled' && v.planned_on)).toBe(true);
		expect(visits.some((v) => v.kind === 'dosing')).toBe(true);
	});

	it('refuses other sites, other roles, taken codes and codes of another site', async () => {
		const c = await actorFor(t, 'coordinator', ['A1']);
		const inv = await actorFor(t, 'investigator', ['A1']);
		await expect(
			createParticipant(c, { studyId: t.studyId, siteId: t.siteB }, input('B1-001'))
		).rejects.toBeInstanceOf(NotFoundError);
		await expect(
			createParticipant(inv, { studyId: t.studyId, siteId: t.siteA }, input('A1-001'))
		).rejects.toBeInstanceOf(ForbiddenError);
		await createParticipant(c, { studyId: t.studyId, siteId: t.siteA }, input('A1-001'));
		await expect(
			createParticipant(c, { studyId: t.studyId, siteId: t.siteA }, input('A1-001'))
		).rejects.toBeInstanceOf(ConflictError);
		const e = await createParticipant(
			c,
			{ studyId: t.studyId, siteId: t.siteA },
			input('B1-009')
		).catch((x: unknown) => x);
		expect((e as ValidationError).fieldErrors.subjectCode?.[0]).toContain('start with A1-');
	});

	it('field errors name each bad field', async () => {
		const c = await actorFor(t, 'coordinator', ['A1']);
		const e = await createParticipant(
			c,
			{ studyId: t.studyId, siteId: t.siteA },
			{
				subjectCode: 'x',
				sex: 'Q',
				birthYear: '2020',
				doseGroup: '',
				status: 'enrolled'
			}
		).catch((x: unknown) => x);
		expect(Object.keys((e as ValidationError).fieldErrors).sort()).toEqual([
			'birthYear',
			'doseGroup',
			'sex',
			'subjectCode'
		]);
	});

	it('each role reads own-site participants only; no site sees none', async () => {
		const a = await enrolledParticipant(t, 'A1');
		const b = await enrolledParticipant(t, 'B1');
		for (const role of ['coordinator', 'investigator', 'auditor'] as const) {
			const own = await actorFor(t, role, ['A1']);
			const none = await actorFor(t, role, []);
			expect((await listParticipants(own)).map((p) => p.id)).toEqual([a.id]);
			expect((await getParticipant(own, a.id)).id).toBe(a.id);
			await expect(getParticipant(own, b.id)).rejects.toBeInstanceOf(NotFoundError);
			expect(await listParticipants(none)).toEqual([]);
			await expect(getParticipant(none, a.id)).rejects.toBeInstanceOf(NotFoundError);
		}
	});

	it('withdrawal needs a reason and is audited old to new', async () => {
		const c = await actorFor(t, 'coordinator', ['A1']);
		const a = await enrolledParticipant(t, 'A1');
		await expect(changeParticipantStatus(c, a.id, { status: 'withdrawn' })).rejects.toBeInstanceOf(
			ValidationError
		);
		const p = await changeParticipantStatus(c, a.id, {
			status: 'withdrawn',
			reason: 'moved abroad'
		});
		expect(p.status).toBe('withdrawn');
		const ev = await t.db
			.selectFrom('audit_event')
			.selectAll()
			.where('action', '=', 'participant.status')
			.executeTakeFirstOrThrow();
		expect(JSON.parse(ev.old_values!)).toEqual({ status: 'enrolled' });
		expect(ev.reason).toBe('moved abroad');
	});
});

describe('visits', () => {
	it('recording a dosing visit late moves the visits anchored to it', async () => {
		const c = await actorFor(t, 'coordinator', ['A1']);
		const a = await enrolledParticipant(t, 'A1', '2026-09-01');
		const visits = await listVisits(c, a.id);
		const dosing = visits.find((v) => v.kind === 'dosing')!;
		const later = (await listVisits(c, a.id)).filter((v) => v.sequence > dosing.sequence);
		const actual = new Date(Date.parse(`${dosing.planned_on}T00:00:00Z`) + 3 * 86_400_000)
			.toISOString()
			.slice(0, 10);
		await recordVisit(c, dosing.id, {
			status: 'completed',
			actualOn: actual,
			deviationReason: 'test set-up'
		});
		const after = await listVisits(c, a.id);
		const next = after.find((v) => v.id === later[0]!.id)!;
		expect(next.planned_on).not.toBe(later[0]!.planned_on);
		// A change to a recorded visit needs a reason.
		await expect(
			recordVisit(c, dosing.id, {
				status: 'completed',
				actualOn: dosing.planned_on!,
				deviationReason: 'test set-up'
			})
		).rejects.toBeInstanceOf(ValidationError);
		await recordVisit(c, dosing.id, {
			status: 'completed',
			actualOn: dosing.planned_on!,
			reason: 'wrong day typed',
			deviationReason: 'test set-up'
		});
	});

	it('lists visits whose window has closed as overdue, until recorded', async () => {
		const c = await actorFor(t, 'coordinator', ['A1']);
		const a = await enrolledParticipant(t, 'A1', '2025-01-01');
		const overdueAt = async (ctx: typeof c, siteId: number) =>
			(await overdueVisitsPage(ctx, siteId, { limit: 1000 })).visits;
		const overdue = await overdueAt(c, t.siteA);
		expect(overdue.length).toBeGreaterThan(0);
		expect(overdue.every((o) => o.participantId === a.id)).toBe(true);
		await recordVisit(c, overdue[0]!.visitId, {
			status: 'missed',
			missedReason: 'participant ill'
		});
		expect((await overdueAt(c, t.siteA)).map((o) => o.visitId)).not.toContain(overdue[0]!.visitId);
		const other = await actorFor(t, 'coordinator', ['B1']);
		expect(await overdueAt(other, t.siteB)).toEqual([]);
	});
});
