import { describe, expect, it } from 'vitest';
import {
	ConflictError,
	ForbiddenError,
	NotFoundError,
	ValidationError
} from '../../src/lib/server/runtime/errors';
import { findSignable } from '../../src/lib/server/repositories/signatures';
import {
	correctAdverseEvent,
	recordAdverseEvent
} from '../../src/lib/server/services/capture/adverse-events';
import {
	markDosingSessionEnteredInError,
	startDosingSession,
	updateDosingSession
} from '../../src/lib/server/services/capture/dosing-sessions';
import {
	correctScaleAdministration,
	recordScaleAdministration
} from '../../src/lib/server/services/capture/scales';
import {
	reviewQueue,
	signaturesFor,
	signRecord,
	type SignableType
} from '../../src/lib/server/services/signatures/signatures';
import { listVisits } from '../../src/lib/server/services/capture/visits';
import {
	correctVitals,
	markVitalsEnteredInError,
	recordVitals
} from '../../src/lib/server/services/capture/vitals';
import {
	actorFor,
	enrolledParticipant,
	PASSWORD,
	type TestDb,
	runningSession,
	freshDbEach
} from '../helpers/db';
import { noCriteria } from '../helpers/fixtures';
import type { AuditAction } from '../../src/lib/server/audit/actions';
import { participantTimeline } from '../../src/lib/server/services/dashboards/participant-timeline';

let t: TestDb;
// T0 is 10:00 in Oslo (09:00Z); the session ends 15:30 there; now is later that afternoon.
const NOW = '2026-11-20T15:00:00.000Z';
const now = () => new Date(NOW);

freshDbEach((db) => (t = db));

const reading = { timepoint: -30, takenAt: '09:30', systolic: 122, diastolic: 80, heartRate: 70 };

/** An ended dosing session at site A1 with one reading, and an investigator there. */
async function endedSession() {
	const { coordinator: c, participant: p, session: s } = await runningSession(t, { now });
	const inv = await actorFor(t, 'investigator', ['A1'], now);
	const r = await recordVitals(c, s.id, reading);
	await updateDosingSession(c, s.id, { endedAt: '2026-11-20T15:30' });
	return { c, inv, p, s, r };
}

const sign = (
	ctx: Parameters<typeof signRecord>[0],
	entityType: SignableType,
	entityId: number,
	over: Record<string, unknown> = {}
) =>
	signRecord(ctx, {
		entityType,
		entityId,
		meaning: 'reviewed',
		userId: ctx.actor.kind === 'user' ? ctx.actor.email : '',
		password: PASSWORD,
		...over
	});

const audit = (action: AuditAction) =>
	t.db.selectFrom('audit_event').selectAll().where('action', '=', action).orderBy('seq').execute();
const signatureRows = () => t.db.selectFrom('signature').selectAll().execute();
/** The queue without the set-up's visit-window deviation (deviations: deviations.test.ts). */
const sessionQueue = async (...args: Parameters<typeof reviewQueue>) =>
	(await reviewQueue(...args)).items.filter((i) => i.entityType !== 'protocol_deviation');
const queued = async (ctx: Parameters<typeof reviewQueue>[0]) =>
	(await sessionQueue(ctx)).map((i) => `${i.entityType}:${i.entityId}`);

describe('signing a record', () => {
	it('only investigators sign, and only at their sites', async () => {
		const { c, s } = await endedSession();
		const auditor = await actorFor(t, 'auditor', ['A1'], now);
		const admin = await actorFor(t, 'admin', [], now);
		const elsewhere = await actorFor(t, 'investigator', ['B1'], now);
		for (const ctx of [c, auditor, admin]) {
			await expect(sign(ctx, 'dosing_session', s.id)).rejects.toBeInstanceOf(ForbiddenError);
		}
		await expect(sign(elsewhere, 'dosing_session', s.id)).rejects.toBeInstanceOf(NotFoundError);
		await expect(sign(t.system, 'dosing_session', s.id)).rejects.toBeInstanceOf(ForbiddenError);
		expect(await signatureRows()).toHaveLength(0);
	});

	it('a wrong password is a field error, signs nothing and is audited', async () => {
		const { inv, s } = await endedSession();
		const e = await sign(inv, 'dosing_session', s.id, { password: 'not-my-password' }).catch(
			(x: unknown) => x
		);
		expect(e).toBeInstanceOf(ValidationError);
		expect(Object.keys((e as ValidationError).fieldErrors)).toEqual(['password']);
		expect(await signatureRows()).toHaveLength(0);
		const [failed] = await audit('signature.failed');
		expect(failed).toMatchObject({ actor_id: inv.actor.id, site_id: t.siteA });
		expect(JSON.parse(failed!.new_values!)).toMatchObject({ entityId: s.id });
	});

	it('stores the current printed name, the meaning and the UTC time, and audits them', async () => {
		const { inv, s } = await endedSession();
		await t.db
			.updateTable('user')
			.set({ name: 'Dr Ada Okafor' })
			.where('id', '=', inv.actor.id)
			.execute();
		const view = await sign(inv, 'dosing_session', s.id, { meaning: 'approved' });
		expect(view).toMatchObject({
			signerName: 'Dr Ada Okafor',
			meaning: 'approved',
			meaningLabel: 'Approved',
			signedAt: NOW,
			status: 'valid'
		});
		const [row] = await signatureRows();
		expect(row).toMatchObject({ signer_name: 'Dr Ada Okafor', signed_at: NOW, site_id: t.siteA });
		const [applied] = await audit('signature.sign');
		expect(JSON.parse(applied!.new_values!)).toMatchObject({
			entityType: 'dosing_session',
			entityId: s.id,
			entityVersion: row!.entity_version,
			meaning: 'approved',
			signerName: 'Dr Ada Okafor'
		});
	});

	it('a running session, or a session entered in error, cannot be signed', async () => {
		const { c, inv, p, s } = await endedSession();
		await markDosingSessionEnteredInError(c, s.id, { reason: 'Wrong participant' });
		await expect(sign(inv, 'dosing_session', s.id)).rejects.toBeInstanceOf(ConflictError);
		const second = (await listVisits(c, p.id)).filter((v) => v.kind === 'dosing')[1]!;
		const running = await startDosingSession(c, p.id, {
			visitId: second.id,
			t0: '2026-11-20T11:00',
			initialDoseMg: 120,
			deviationReason: 'test set-up'
		});
		await expect(sign(inv, 'dosing_session', running.id)).rejects.toThrow(/once it has ended/);
	});
});

describe('a change voids the signature', () => {
	it('correcting a reading voids the session signature visibly and requeues it', async () => {
		const { c, inv, s, r } = await endedSession();
		expect(await queued(inv)).toEqual([`dosing_session:${s.id}`]);
		await sign(inv, 'dosing_session', s.id);
		expect(await queued(inv)).toEqual([]);

		await correctVitals(c, r.id, { ...reading, systolic: 124, reason: 'Misread the monitor' });
		const [sig] = await signaturesFor(t.db, 'dosing_session', s.id);
		expect(sig).toMatchObject({ status: 'void', voidedAt: NOW });
		expect(sig!.voidedReason).toContain('Misread the monitor');
		const [voided] = await audit('signature.void');
		expect(voided).toMatchObject({ entity_id: String(sig!.id) });
		expect(voided!.reason).toContain('Misread the monitor');
		const [item] = await sessionQueue(inv);
		expect(item).toMatchObject({
			entityId: s.id,
			changedSinceSigned: true,
			href: `/sessions/${s.id}`,
			what: 'Dosing session 1'
		});
	});

	it("the session's review version moves when a reading is added, corrected or entered in error", async () => {
		const { c, s, r } = await endedSession();
		const version = async () => (await findSignable(t.db, 'dosing_session', s.id))!.review_version;
		const seen = [await version()];
		const recheck = await recordVitals(c, s.id, { ...reading, timepoint: 'unscheduled' });
		seen.push(await version());
		await correctVitals(c, recheck.id, {
			...reading,
			timepoint: 'unscheduled',
			heartRate: 72,
			reason: 'Typo'
		});
		seen.push(await version());
		await markVitalsEnteredInError(c, r.id, { reason: 'Wrong participant' });
		seen.push(await version());
		expect(new Set(seen).size).toBe(4);
	});

	it('a change made without voiding still reads as void, and is back in the queue', async () => {
		const { inv, s, r } = await endedSession();
		await sign(inv, 'dosing_session', s.id);
		await t.db
			.updateTable('vital_reading')
			.set((eb) => ({ heart_rate: 99, version: eb('version', '+', 1) }))
			.where('id', '=', r.id)
			.execute();
		const [sig] = await signaturesFor(t.db, 'dosing_session', s.id);
		expect(sig).toMatchObject({ status: 'void', voidedAt: null });
		expect((await sessionQueue(inv))[0]).toMatchObject({
			entityId: s.id,
			changedSinceSigned: true
		});
	});

	it('the participant timeline lists each signed record’s signatures, valid, then void after a change', async () => {
		const { inv, p, s, r } = await endedSession();
		const other = await endedSession();
		await sign(inv, 'dosing_session', s.id);
		await sign(inv, 'dosing_session', s.id, { meaning: 'responsible' });
		await sign(other.inv, 'dosing_session', other.s.id);
		const shown = async () => (await participantTimeline(inv, p.id)).signatures;
		expect(await shown()).toEqual([
			expect.objectContaining({
				record: 'Dosing session 1',
				href: `/sessions/${s.id}`,
				status: 'valid',
				meaning: 'Reviewed'
			}),
			expect.objectContaining({
				record: 'Dosing session 1',
				status: 'valid',
				meaning: 'Responsible'
			})
		]);
		await t.db
			.updateTable('vital_reading')
			.set((eb) => ({ heart_rate: 99, version: eb('version', '+', 1) }))
			.where('id', '=', r.id)
			.execute();
		expect((await shown()).map((x) => x.status)).toEqual(['void', 'void']);
	});

	it('an entered-in-error session leaves the queue', async () => {
		const { c, inv, s } = await endedSession();
		await sign(inv, 'dosing_session', s.id);
		await markDosingSessionEnteredInError(c, s.id, { reason: 'Duplicate' });
		expect((await signaturesFor(t.db, 'dosing_session', s.id))[0]!.status).toBe('void');
		expect(await queued(inv)).toEqual([]);
	});
});

const aeInput = (over: Record<string, unknown> = {}) => ({
	verbatimTerm: 'headache after the dose',
	codedTermCode: 'VIG-0003',
	onsetAt: '2026-11-20T11:30',
	awareAt: '2026-11-20T12:00',
	severity: '2',
	criteria: noCriteria,
	relatedness: 'possible',
	expectedness: 'expected',
	actionTaken: 'dose-not-changed',
	outcome: 'recovering',
	...over
});
const madrs = (scores: number[]) => Object.fromEntries(scores.map((s, i) => [String(i + 1), s]));

describe('adverse events and scales', () => {
	it('an adverse event signature is void after a correction, and the event is requeued', async () => {
		const c = await actorFor(t, 'coordinator', ['A1'], now);
		const inv = await actorFor(t, 'investigator', ['A1'], now);
		const p = await enrolledParticipant(t, 'A1');
		const ae = await recordAdverseEvent(c, p.id, aeInput());
		await sign(inv, 'adverse_event', ae.id, { meaning: 'responsible' });
		expect(await queued(inv)).toEqual([]);
		await correctAdverseEvent(c, ae.id, aeInput({ severity: '3', reason: 'Re-read the chart' }));
		const [sig] = await signaturesFor(t.db, 'adverse_event', ae.id);
		expect(sig).toMatchObject({ status: 'void', meaningLabel: 'Responsible' });
		const [item] = await sessionQueue(inv);
		expect(item).toMatchObject({
			entityType: 'adverse_event',
			what: 'Adverse event: headache after the dose',
			href: `/adverse-events/${ae.id}`,
			subjectCode: p.subjectCode,
			changedSinceSigned: true
		});
	});

	it('a scale signature is void after a correction; incomplete scales wait outside the queue', async () => {
		const c = await actorFor(t, 'coordinator', ['A1'], now);
		const inv = await actorFor(t, 'investigator', ['A1'], now);
		const p = await enrolledParticipant(t, 'A1');
		const scale = await recordScaleAdministration(c, p.id, {
			instrument: 'MADRS',
			administeredAt: '2026-10-01T14:30',
			items: madrs([3, 3, 3, 3, 3, 3, 3, 3, 3, 3])
		});
		await recordScaleAdministration(c, p.id, {
			instrument: 'MADRS',
			administeredAt: '2026-10-02T14:30',
			items: madrs([3, 3]),
			incomplete: true
		});
		expect(await queued(inv)).toEqual([`scale_administration:${scale.id}`]);
		await sign(inv, 'scale_administration', scale.id);
		await correctScaleAdministration(c, scale.id, {
			items: madrs([3, 3, 3, 3, 3, 3, 3, 3, 3, 4]),
			reason: 'Item 10 re-scored'
		});
		expect((await signaturesFor(t.db, 'scale_administration', scale.id))[0]!.status).toBe('void');
		expect((await sessionQueue(inv))[0]).toMatchObject({
			what: 'MADRS',
			changedSinceSigned: true
		});
	});
});

describe('the review queue', () => {
	it('lists records at the actor’s sites newest first, for investigators and auditors', async () => {
		const { c, s } = await endedSession();
		// Its onset (07:00Z) is before the session's T0 (09:00Z), though recorded after it.
		const early = aeInput({ onsetAt: '2026-11-20T08:00', awareAt: '2026-11-20T08:30' });
		const ae = await recordAdverseEvent(c, (await enrolledParticipant(t, 'A1')).id, early);
		const auditor = await actorFor(t, 'auditor', ['A1', 'B1'], now);
		expect(await queued(auditor)).toEqual([`dosing_session:${s.id}`, `adverse_event:${ae.id}`]);
		const elsewhere = await actorFor(t, 'investigator', ['B1'], now);
		expect(await queued(elsewhere)).toEqual([]);
		await expect(reviewQueue(elsewhere, { siteId: t.siteA })).rejects.toBeInstanceOf(NotFoundError);
		expect((await sessionQueue(auditor, { siteId: t.siteA })).length).toBe(2);
		expect((await sessionQueue(auditor, { siteId: t.siteB })).length).toBe(0);
		await expect(reviewQueue(c)).rejects.toBeInstanceOf(ForbiddenError);
	});
});

describe('wrong signing passwords', () => {
	it('count with failed sign-ins: after five, signing waits (no hashing) and says so', async () => {
		const { inv, s } = await endedSession();
		for (let i = 0; i < 5; i++) {
			await expect(
				sign(inv, 'dosing_session', s.id, { password: `wrong-${i}` })
			).rejects.toBeInstanceOf(ValidationError);
		}
		const e = await sign(inv, 'dosing_session', s.id).catch((x: unknown) => x);
		expect((e as ValidationError).fieldErrors.password?.[0]).toContain('Too many wrong passwords');
		expect(await signatureRows()).toHaveLength(0);
		const failed = await audit('signature.failed');
		expect(JSON.parse(failed.at(-1)!.new_values!)).toMatchObject({ throttled: true });
	});
});
