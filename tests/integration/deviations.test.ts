import { describe, expect, it } from 'vitest';
import {
	ForbiddenError,
	NotFoundError,
	ValidationError
} from '../../src/lib/server/runtime/errors';
import { startDosingSession } from '../../src/lib/server/services/capture/dosing-sessions';
import { listVisits, recordVisit } from '../../src/lib/server/services/capture/visits';
import {
	DeviationConfirmationNeeded,
	getDeviation,
	listDeviations,
	markDeviationEnteredInError,
	recordDeviation,
	reportDeviation,
	reviewDeviation
} from '../../src/lib/server/services/protocol/deviations';
import {
	reviewQueue,
	signRecord,
	signaturesFor
} from '../../src/lib/server/services/signatures/signatures';
import { writeTransaction } from '../../src/lib/server/db/transaction';
import { actorFor, enrolledParticipant, PASSWORD, type TestDb, freshDbEach } from '../helpers/db';

let t: TestDb;
const now = () => new Date('2026-12-06T12:00:00Z');

freshDbEach((db) => (t = db));

/** Enrolled 2026-09-01: SCR 09-01, BL 09-22, PREP1-3 09-29 / 10-06 / 10-13, DS1 10-20 (10-17..10-27). */
async function participant() {
	const c = await actorFor(t, 'coordinator', ['A1'], now);
	const p = await enrolledParticipant(t, 'A1', '2026-09-01');
	const visits = await listVisits(c, p.id);
	const visit = (code: string) => visits.find((v) => v.visit_code === code)!;
	return { c, p, visit };
}

async function auditActions(entityType: 'protocol_deviation') {
	return (
		await t.db
			.selectFrom('audit_event')
			.select(['action', 'reason'])
			.where('entity_type', '=', entityType)
			.execute()
	).map((r) => `${r.action}:${r.reason ?? ''}`);
}

describe('starting a dosing session outside its window or out of order', () => {
	it('asks for a reason and writes nothing, then records the session with its deviations', async () => {
		const { c, p, visit } = await participant();
		const start = { visitId: visit('DS1').id, t0: '2026-12-06T09:00', initialDoseMg: 120 };
		const asked = await startDosingSession(c, p.id, start).catch((e: unknown) => e);
		expect(asked).toBeInstanceOf(DeviationConfirmationNeeded);
		const fields = (asked as DeviationConfirmationNeeded).fieldErrors.deviationReason!;
		expect(fields[0]).toContain(
			'Dosing session 1 (DS1) on 2026-12-06, 40 days after its window closed (2026-10-27)'
		);
		expect(fields[1]).toContain('took place before Screening (SCR), Baseline (BL)');
		expect(await t.db.selectFrom('dosing_session').selectAll().execute()).toEqual([]);
		expect(await listDeviations(c, { participantId: p.id })).toEqual([]);

		const s = await startDosingSession(c, p.id, {
			...start,
			deviationReason: 'Participant travelled; PI agreed'
		});
		const list = await listDeviations(c, { participantId: p.id });
		expect(
			list.map((d) => [d.category, d.important, d.ruleId, d.reason, d.dosingSessionId])
		).toEqual([
			// newest first: the order rule's row was written after the window rule's
			['IP/DOSING', true, 'deviation.visit.order', 'Participant travelled; PI agreed', s.id],
			['IP/DOSING', true, 'deviation.visit.window', 'Participant travelled; PI agreed', s.id]
		]);
		expect(list.every((d) => d.recordedBy === c.actor.name && d.occurredAt === s.t0)).toBe(true);
		expect(await auditActions('protocol_deviation')).toEqual([
			'protocol_deviation.create:',
			'protocol_deviation.create:'
		]);
	});

	it('a session in its window after every earlier visit asks nothing and records nothing', async () => {
		const { c, p, visit } = await participant();
		for (const [code, on] of [
			['SCR', '2026-09-01'],
			['BL', '2026-09-22'],
			['PREP1', '2026-09-29'],
			['PREP2', '2026-10-06'],
			['PREP3', '2026-10-13']
		] as const) {
			await recordVisit(c, visit(code).id, { status: 'completed', actualOn: on });
		}
		await startDosingSession(c, p.id, {
			visitId: visit('DS1').id,
			t0: '2026-10-20T09:00',
			initialDoseMg: 120
		});
		expect(await listDeviations(c, { participantId: p.id })).toEqual([]);
	});
});

describe('recording a visit', () => {
	it('a visit done after its window asks for a reason, then keeps a VISIT WINDOW deviation', async () => {
		const { c, p, visit } = await participant();
		await recordVisit(c, visit('SCR').id, { status: 'completed', actualOn: '2026-09-01' });
		const late = { status: 'completed', actualOn: '2026-10-20' };
		await expect(recordVisit(c, visit('BL').id, late)).rejects.toBeInstanceOf(
			DeviationConfirmationNeeded
		);
		await recordVisit(c, visit('BL').id, { ...late, deviationReason: 'Participant was ill' });
		const [d] = await listDeviations(c, { participantId: p.id });
		expect(d).toMatchObject({
			category: 'VISIT WINDOW',
			important: false,
			occurredAt: '2026-10-20',
			visitId: visit('BL').id,
			sourceType: 'visit'
		});
	});
});

describe('deviations recorded by people, reviewed and signed', () => {
	it('a coordinator records one; an investigator confirms importance, signs; a change voids it', async () => {
		const { c, p } = await participant();
		const inv = await actorFor(t, 'investigator', ['A1'], now);
		const d = await reportDeviation(c, p.id, {
			category: 'OTHER',
			description: 'C-SSRS given by an untrained rater',
			occurredAt: '2026-12-05T14:00'
		});
		expect(d).toMatchObject({
			important: 0,
			source: 'manual',
			occurred_at: '2026-12-05T13:00:00.000Z'
		});
		expect((await reviewQueue(inv)).items.map((i) => i.href)).toEqual([`/deviations/${d.id}`]);
		await signRecord(inv, {
			entityType: 'protocol_deviation',
			entityId: d.id,
			meaning: 'reviewed',
			userId: inv.actor.email,
			password: PASSWORD
		});
		expect((await reviewQueue(inv)).items).toEqual([]);
		await expect(
			reviewDeviation(inv, d.id, { category: 'PRIMARY ENDPOINT', important: 'on' })
		).rejects.toBeInstanceOf(ValidationError);
		await reviewDeviation(inv, d.id, {
			category: 'PRIMARY ENDPOINT',
			important: 'on',
			reason: 'Primary scale affected'
		});
		expect(await getDeviation(inv, d.id)).toMatchObject({
			category: 'PRIMARY ENDPOINT',
			important: true
		});
		expect((await signaturesFor(t.db, 'protocol_deviation', d.id))[0]!.status).toBe('void');
		await markDeviationEnteredInError(c, d.id, { reason: 'Wrong participant' });
		expect((await getDeviation(c, d.id)).enteredInError).toBe('Wrong participant');
		expect(await auditActions('protocol_deviation')).toEqual([
			'protocol_deviation.create:',
			'protocol_deviation.update:Primary scale affected',
			'protocol_deviation.entered_in_error:Wrong participant'
		]);
	});

	it('checks fields, roles and sites', async () => {
		const { c, p } = await participant();
		const err = await reportDeviation(c, p.id, {
			category: 'NOPE',
			description: '',
			occurredAt: 'x'
		}).catch((e: unknown) => e);
		expect(Object.keys((err as ValidationError).fieldErrors).sort()).toEqual([
			'category',
			'description',
			'occurredAt'
		]);
		const auditor = await actorFor(t, 'auditor', ['A1'], now);
		const input = { category: 'OTHER', description: 'x y z', occurredAt: '2026-12-05T14:00' };
		await expect(reportDeviation(auditor, p.id, input)).rejects.toBeInstanceOf(ForbiddenError);
		const elsewhere = await actorFor(t, 'coordinator', ['B1'], now);
		await expect(reportDeviation(elsewhere, p.id, input)).rejects.toBeInstanceOf(NotFoundError);
		await expect(listDeviations(elsewhere, { participantId: p.id })).rejects.toBeInstanceOf(
			NotFoundError
		);
		await reportDeviation(c, p.id, input);
		expect(await listDeviations(elsewhere)).toEqual([]);
		expect((await listDeviations(auditor, { siteId: t.siteA })).length).toBe(1);
	});

	it('recordDeviation joins the caller’s transaction: a failed write keeps no deviation', async () => {
		const { c, p } = await participant();
		await expect(
			writeTransaction(t.db, async (trx) => {
				await recordDeviation(trx, c, {
					participantId: p.id,
					category: 'PROHIBITED MEDICATION',
					description: 'Sertraline during washout',
					occurredAt: '2026-12-01'
				});
				throw new Error('the caller’s write failed');
			})
		).rejects.toThrow('failed');
		expect(await listDeviations(c)).toEqual([]);
		const kept = await writeTransaction(t.db, (trx) =>
			recordDeviation(trx, c, {
				participantId: p.id,
				category: 'PROHIBITED MEDICATION',
				description: 'Sertraline during washout',
				occurredAt: '2026-12-01',
				ruleId: 'deviation.conmed.prohibited',
				source: { type: 'conmed', id: 7 }
			})
		);
		expect(kept).toMatchObject({
			important: 0,
			source: 'rule',
			source_type: 'conmed',
			source_id: 7
		});
	});
});
