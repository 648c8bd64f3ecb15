import { beforeEach, describe, expect, it } from 'vitest';
import {
	ConflictError,
	ForbiddenError,
	ValidationError
} from '../../src/lib/server/runtime/errors';
import { recordSponsorReport } from '../../src/lib/server/services/safety/adverse-event-reports';
import {
	listOpenSaeClocks,
	recordAdverseEvent
} from '../../src/lib/server/services/capture/adverse-events';
import { actorFor, enrolledParticipant, type TestDb, freshDbEach } from '../helpers/db';

let t: TestDb;
let clock = Date.parse('2026-11-21T12:00:00Z');
const now = () => new Date(clock);
freshDbEach((db) => (t = db));
beforeEach(() => {
	clock = Date.parse('2026-11-21T12:00:00Z');
});

const no = 'no';
const sae = {
	verbatimTerm: 'admitted with hyponatraemia',
	onsetAt: '2026-11-20T18:00',
	awareAt: '2026-11-20T20:00', // Oslo: 19:00Z, so due 2026-11-21 19:00Z
	severity: '3',
	criteria: {
		death: no,
		lifeThreatening: no,
		hospitalisation: 'yes',
		disability: no,
		congenitalAnomaly: no,
		importantMedicalEvent: no
	},
	relatedness: 'probable',
	expectedness: 'unexpected',
	actionTaken: 'dose-not-changed',
	outcome: 'recovering'
};

describe('sending the SAE and SUSAR reports stops their clocks', () => {
	it('a report on time leaves the board; a late one stays marked late; both audited', async () => {
		const c = await actorFor(t, 'coordinator', ['A1'], now);
		const inv = await actorFor(t, 'investigator', ['A1'], now);
		const auditor = await actorFor(t, 'auditor', ['A1'], now);
		const p = await enrolledParticipant(t, 'A1');
		const ae = await recordAdverseEvent(c, p.id, sae);
		expect(ae.saeClock?.dueAt).toBe('2026-11-21T19:00:00.000Z');
		expect(ae.susarClock?.days).toBe(15);
		const [open] = await listOpenSaeClocks(inv);
		expect(open?.adverseEventId).toBe(ae.id);
		// The board reads the SUSAR clock from the same list (serious, related, unexpected: 15 days).
		expect(open?.susarClock).toMatchObject({ days: 15, dueAt: '2026-12-05T19:00:00.000Z' });

		await expect(
			recordSponsorReport(auditor, ae.id, { kind: 'sae', reportedAt: '2026-11-21T10:00' })
		).rejects.toBeInstanceOf(ForbiddenError);
		const early = await recordSponsorReport(c, ae.id, {
			kind: 'sae',
			reportedAt: '2026-11-20T19:00'
		}).catch((e: unknown) => e);
		expect((early as ValidationError).fieldErrors.reportedAt).toBeDefined();

		const sent = await recordSponsorReport(inv, ae.id, {
			kind: 'sae',
			reportedAt: '2026-11-21T10:00'
		});
		expect(sent.saeClock).toMatchObject({ reportedAt: '2026-11-21T09:00:00.000Z', overdue: false });
		expect(await listOpenSaeClocks(inv)).toEqual([]);
		await expect(
			recordSponsorReport(inv, ae.id, { kind: 'sae', reportedAt: '2026-11-21T10:00' })
		).rejects.toBeInstanceOf(ConflictError);

		// Sixteen days later the SUSAR report goes out, a day late.
		clock = Date.parse('2026-12-07T12:00:00Z');
		const late = await recordSponsorReport(inv, ae.id, {
			kind: 'susar',
			reportedAt: '2026-12-06T21:00'
		});
		expect(late.susarClock).toMatchObject({
			overdue: true,
			reportedAt: '2026-12-06T20:00:00.000Z'
		});
		const audit = await t.db
			.selectFrom('audit_event')
			.select(['new_values'])
			.where('action', '=', 'adverse_event.report_sent')
			.execute();
		expect(audit.map((a) => JSON.parse(a.new_values!).late)).toEqual([false, true]);
	});

	it('a non-serious event has no report to record', async () => {
		const c = await actorFor(t, 'coordinator', ['A1'], now);
		const p = await enrolledParticipant(t, 'A1');
		const ae = await recordAdverseEvent(c, p.id, {
			...sae,
			severity: '1',
			criteria: { ...sae.criteria, hospitalisation: no }
		});
		await expect(
			recordSponsorReport(c, ae.id, { kind: 'sae', reportedAt: '2026-11-21T10:00' })
		).rejects.toBeInstanceOf(ValidationError);
	});
});

describe("the investigator's assessment", () => {
	it('an investigator corrects relatedness and expectedness with a reason; a SUSAR clock starts', async () => {
		const { correctAdverseEvent } =
			await import('../../src/lib/server/services/capture/adverse-events');
		const c = await actorFor(t, 'coordinator', ['A1'], now);
		const inv = await actorFor(t, 'investigator', ['A1'], now);
		const other = await actorFor(t, 'investigator', ['B1'], now);
		const p = await enrolledParticipant(t, 'A1');
		const ae = await recordAdverseEvent(c, p.id, {
			...sae,
			relatedness: 'unlikely',
			expectedness: 'expected'
		});
		expect(ae.susarClock).toBeNull();
		const assessed = {
			...sae,
			relatedness: 'probable',
			expectedness: 'unexpected',
			reason: 'investigator causality assessment'
		};
		await expect(correctAdverseEvent(other, ae.id, assessed)).rejects.toMatchObject({
			status: 404
		});
		const after = await correctAdverseEvent(inv, ae.id, assessed);
		expect(after.susarClock?.days).toBe(15);
		const ev = await t.db
			.selectFrom('audit_event')
			.selectAll()
			.where('action', '=', 'adverse_event.update')
			.executeTakeFirstOrThrow();
		expect(ev.actor_role).toBe('investigator');
		expect(JSON.parse(ev.old_values!)).toMatchObject({
			relatedness: 'unlikely',
			expectedness: 'expected'
		});
	});
});
