import { listDeviations } from '../../src/lib/server/services/protocol/deviations';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
	ConflictError,
	ForbiddenError,
	NotFoundError,
	ValidationError
} from '../../src/lib/server/runtime/errors';
import { updateDosingSession } from '../../src/lib/server/services/capture/dosing-sessions';
import {
	acknowledgeFlag,
	closeFlag,
	listFlags,
	recordFlagAction
} from '../../src/lib/server/services/safety/flags';
import { runSafetyClock } from '../../src/lib/server/services/safety/safety-clock';
import {
	correctVitals,
	markVitalsEnteredInError,
	recordVitals
} from '../../src/lib/server/services/capture/vitals';
import * as reconcile from '../../src/lib/server/services/safety/flag-reconcile';
import { actorFor, type TestDb, runningSession, freshDbEach } from '../helpers/db';
import { noCriteria } from '../helpers/fixtures';

let t: TestDb;
let clock: number;
const now = () => new Date(clock);

freshDbEach((db) => (t = db));
beforeEach(() => {
	// T0 is 09:00Z (10:00 in Oslo); just after the 30-minute reading falls due.
	clock = Date.parse('2026-11-20T09:31:00Z');
});
afterEach(() => {
	vi.restoreAllMocks();
});

async function running() {
	const { coordinator: c, participant: p, session: s } = await runningSession(t, { now });
	const inv = await actorFor(t, 'investigator', ['A1'], now);
	await recordVitals(c, s.id, {
		timepoint: -30,
		takenAt: '09:30',
		systolic: 122,
		diastolic: 80,
		heartRate: 70,
		temperature: 36.8
	});
	return { c, inv, p, s };
}

describe('flags are raised the moment a reading is saved', () => {
	it('an action-level systolic raises one flag, in words, with rule and protocol version', async () => {
		const { c, s } = await running();
		await recordVitals(c, s.id, {
			timepoint: 30,
			takenAt: '10:30',
			systolic: 172,
			diastolic: 95,
			heartRate: 96
		});
		const flags = await listFlags(c, { sessionId: s.id, open: true });
		const band = flags.find((f) => f.ruleId === 'vitals.systolic.high.action')!;
		expect(band.message).toBe(
			'Systolic 172 mmHg is at or above 160: action. Inform the study physician; recheck within 15 minutes; hold the supplemental dose.'
		);
		expect(band.protocolVersionId).toBeGreaterThan(0);
		expect(band.values).toMatchObject({ measure: 'systolic', value: 172 });
		// +50 from the 122 baseline is the change rule (≥ 40 → action) too.
		expect(flags.map((f) => f.ruleId).sort()).toEqual([
			'vitals-change.systolic.absolute.rise.action',
			'vitals.diastolic.high.notify',
			'vitals.systolic.high.action'
		]);
		const audit = await t.db
			.selectFrom('audit_event')
			.select('action')
			.where('action', '=', 'flag.raise')
			.execute();
		expect(audit).toHaveLength(3);
	});

	it('a failure while raising flags leaves neither the reading nor the flag', async () => {
		const { c, s } = await running();
		vi.spyOn(reconcile, 'reconcileFlags').mockRejectedValueOnce(new Error('disk full'));
		await expect(
			recordVitals(c, s.id, { timepoint: 30, takenAt: '10:30', systolic: 172, diastolic: 95 })
		).rejects.toThrow();
		const readings = await t.db
			.selectFrom('vital_reading')
			.select('id')
			.where('dosing_session_id', '=', s.id)
			.execute();
		expect(readings).toHaveLength(1);
		expect(await t.db.selectFrom('flag').select('id').execute()).toHaveLength(0);
	});

	it('a correction that removes the cause closes the flag itself, and its history stays', async () => {
		const { c, s } = await running();
		const r = await recordVitals(c, s.id, {
			timepoint: 30,
			takenAt: '10:30',
			systolic: 162,
			diastolic: 88
		});
		const [flag] = await listFlags(c, { sessionId: s.id, open: true });
		await correctVitals(c, r.id, {
			timepoint: 30,
			takenAt: '10:30',
			systolic: 126,
			diastolic: 88,
			reason: 'typed 162 for 126'
		});
		expect(await listFlags(c, { sessionId: s.id, open: true })).toEqual([]);
		const closed = (await listFlags(c, { sessionId: s.id })).find((f) => f.id === flag!.id)!;
		expect(closed).toMatchObject({ status: 'closed', autoClosed: true });
		expect(closed.outcome).toContain('typed 162 for 126');
		const trail = await t.db
			.selectFrom('audit_event')
			.select('action')
			.where('entity_type', '=', 'flag')
			.where('entity_id', '=', String(flag!.id))
			.execute();
		expect(trail.map((x) => x.action)).toEqual(['flag.raise', 'flag.auto_close']);
	});

	it('entered in error closes the flags of that reading', async () => {
		const { c, s } = await running();
		const r = await recordVitals(c, s.id, {
			timepoint: 30,
			takenAt: '10:30',
			systolic: 185,
			diastolic: 90,
			confirmed: true
		});
		expect(
			(await listFlags(c, { sessionId: s.id, open: true })).some((f) => f.level === 'urgent')
		).toBe(true);
		await markVitalsEnteredInError(c, r.id, { reason: 'other participant' });
		expect(await listFlags(c, { sessionId: s.id, open: true })).toEqual([]);
	});

	it('two action-level readings 15 minutes apart raise a sustained urgent flag', async () => {
		const { c, s } = await running();
		await recordVitals(c, s.id, { timepoint: 30, takenAt: '10:30', systolic: 164, diastolic: 90 });
		clock = Date.parse('2026-11-20T09:46:00Z');
		await recordVitals(c, s.id, {
			timepoint: 'unscheduled',
			takenAt: '10:45',
			systolic: 166,
			diastolic: 92
		});
		const sustained = (await listFlags(c, { sessionId: s.id, open: true })).filter(
			(f) => f.ruleId === 'vitals.sustained'
		);
		expect(sustained).toHaveLength(1);
		expect(sustained[0]!.level).toBe('urgent');
	});
});

describe('the clock', () => {
	it('a reading 15 minutes late raises a missed-reading flag, closed when it is recorded', async () => {
		const { c, s } = await running();
		clock = Date.parse('2026-11-20T09:44:00Z'); // 30-min reading due 09:30Z, 14 min late
		await runSafetyClock({ ...c, actor: { kind: 'system', label: 'safety-clock' } });
		expect(
			(await listFlags(c, { sessionId: s.id, open: true })).filter(
				(f) => f.ruleId === 'vitals.missed-reading'
			)
		).toHaveLength(0);
		clock = Date.parse('2026-11-20T09:45:00Z');
		await runSafetyClock({ ...c, actor: { kind: 'system', label: 'safety-clock' } });
		const missed = (await listFlags(c, { sessionId: s.id, open: true })).filter(
			(f) => f.ruleId === 'vitals.missed-reading'
		);
		expect(missed).toHaveLength(1);
		expect(missed[0]!.message).toContain('30 MIN POST-DOSE');
		await recordVitals(c, s.id, {
			timepoint: 30,
			takenAt: '10:45',
			systolic: 130,
			diastolic: 84,
			heartRate: 80
		});
		expect(
			(await listFlags(c, { sessionId: s.id, open: true })).filter(
				(f) => f.ruleId === 'vitals.missed-reading'
			)
		).toHaveLength(0);
	});

	it('an urgent flag unacknowledged for 10 minutes is escalated', async () => {
		const { c, s } = await running();
		await recordVitals(c, s.id, {
			timepoint: 30,
			takenAt: '10:30',
			systolic: 190,
			diastolic: 100,
			confirmed: true
		});
		clock += 9 * 60_000;
		await runSafetyClock({ ...c, actor: { kind: 'system', label: 'safety-clock' } });
		expect((await listFlags(c, { sessionId: s.id, open: true })).some((f) => f.escalated)).toBe(
			false
		);
		clock += 60_000;
		await runSafetyClock({ ...c, actor: { kind: 'system', label: 'safety-clock' } });
		const urgent = (await listFlags(c, { sessionId: s.id, open: true })).filter(
			(f) => f.level === 'urgent'
		);
		expect(urgent.every((f) => f.escalated)).toBe(true);
	});
});

describe('the supplemental-dose gate', () => {
	it('an action-level reading holds the dose; giving it needs an override reason and raises a flag', async () => {
		const { c, s } = await running();
		clock = Date.parse('2026-11-20T10:01:00Z');
		await recordVitals(c, s.id, { timepoint: 60, takenAt: '11:00', systolic: 161, diastolic: 90 });
		clock = Date.parse('2026-11-20T10:45:00Z');
		const e = await updateDosingSession(c, s.id, {
			supplemental: 'given',
			supplementalDoseMg: 60,
			supplementalAt: '2026-11-20T11:40'
		}).catch((x: unknown) => x);
		expect((e as ValidationError).fieldErrors.overrideReason?.[0]).toContain('Systolic 161 mmHg');
		await updateDosingSession(c, s.id, {
			supplemental: 'given',
			supplementalDoseMg: 60,
			supplementalAt: '2026-11-20T11:40',
			overrideReason: 'physician reviewed, recheck 138'
		});
		const gate = (await listFlags(c, { sessionId: s.id, open: true })).find(
			(f) => f.ruleId === 'dose.supplemental-gate'
		);
		expect(gate?.message).toContain('physician reviewed');
		// …and a protocol deviation, important, with the session (issue 12).
		const dosing = (await listDeviations(c, { participantId: s.participant_id })).filter(
			(d) => d.ruleId === 'deviation.dosing.supplemental_hold'
		);
		expect(dosing).toHaveLength(1);
		expect(dosing[0]).toMatchObject({
			category: 'IP/DOSING',
			important: true,
			dosingSessionId: s.id,
			reason: 'physician reviewed, recheck 138',
			occurredAt: '2026-11-20T10:40:00.000Z'
		});
	});
});

describe('the lifecycle', () => {
	it('an investigator acknowledges, records an action and closes; each step audited', async () => {
		const { c, inv, s } = await running();
		await recordVitals(c, s.id, {
			timepoint: 30,
			takenAt: '10:30',
			systolic: 150,
			diastolic: 85,
			heartRate: 80
		});
		const [flag] = await listFlags(inv, { open: true });
		await expect(acknowledgeFlag(c, flag!.id)).rejects.toBeInstanceOf(ForbiddenError);
		await acknowledgeFlag(inv, flag!.id);
		await expect(acknowledgeFlag(inv, flag!.id)).rejects.toBeInstanceOf(ConflictError);
		await expect(
			recordFlagAction(inv, flag!.id, { category: 'recheck', text: '' })
		).rejects.toBeInstanceOf(ValidationError);
		await recordFlagAction(c, flag!.id, {
			category: 'recheck',
			text: 'Recheck 15 min later: 138/82'
		});
		await expect(closeFlag(c, flag!.id, { outcome: 'x' })).rejects.toBeInstanceOf(ForbiddenError);
		const closed = await closeFlag(inv, flag!.id, { outcome: 'Settled without treatment' });
		expect(closed.status).toBe('closed');
		const steps = await t.db
			.selectFrom('audit_event')
			.select(['action', 'actor_label'])
			.where('entity_type', '=', 'flag')
			.where('entity_id', '=', String(flag!.id))
			.orderBy('seq')
			.execute();
		expect(steps.map((x) => x.action)).toEqual([
			'flag.raise',
			'flag.acknowledge',
			'flag.action',
			'flag.close'
		]);
		// Closed by a person: the same data does not raise it again.
		clock = Date.parse('2026-11-20T10:01:00Z');
		await recordVitals(c, s.id, {
			timepoint: 60,
			takenAt: '11:00',
			systolic: 128,
			diastolic: 80,
			heartRate: 78,
			temperature: 36.9
		});
		expect(await listFlags(inv, { open: true })).toEqual([]);
	});

	it('other sites see no flags and cannot act on them; no site sees none', async () => {
		const { c, s } = await running();
		await recordVitals(c, s.id, {
			timepoint: 30,
			takenAt: '10:30',
			systolic: 150,
			diastolic: 85,
			heartRate: 80
		});
		const [flag] = await listFlags(c, { open: true });
		const otherInv = await actorFor(t, 'investigator', ['B1'], now);
		const noSite = await actorFor(t, 'investigator', [], now);
		const auditor = await actorFor(t, 'auditor', ['A1'], now);
		expect(await listFlags(otherInv, { open: true })).toEqual([]);
		expect(await listFlags(noSite, { open: true })).toEqual([]);
		await expect(acknowledgeFlag(otherInv, flag!.id)).rejects.toBeInstanceOf(NotFoundError);
		expect((await listFlags(auditor, { open: true })).length).toBe(1);
		await expect(acknowledgeFlag(auditor, flag!.id)).rejects.toBeInstanceOf(ForbiddenError);
	});
});

describe('adverse events and rating scales raise flags too', () => {
	const ae = (over: Record<string, unknown> = {}) => ({
		verbatimTerm: 'severe headache',
		onsetAt: '2026-11-20T10:20',
		awareAt: '2026-11-20T10:25',
		severity: '2',
		criteria: noCriteria,
		relatedness: 'possible',
		expectedness: 'expected',
		actionTaken: 'dose-not-changed',
		outcome: 'recovering',
		...over
	});

	it('a serious AE raises an urgent flag; entered in error closes it', async () => {
		const { recordAdverseEvent, markAdverseEventEnteredInError } =
			await import('../../src/lib/server/services/capture/adverse-events');
		const { c, p } = await running();
		const sae = await recordAdverseEvent(
			c,
			p.id,
			ae({ criteria: { ...noCriteria, hospitalisation: 'yes' }, severity: '3' })
		);
		const flags = await listFlags(c, { participantId: p.id, open: true });
		expect(
			flags
				.filter((f) => f.sourceType === 'adverse_event')
				.map((f) => [f.ruleId, f.level])
				.sort()
		).toEqual([
			['ae.serious', 'urgent'],
			['ae.severity', 'action']
		]);
		await markAdverseEventEnteredInError(c, sae.id, { reason: 'duplicate entry' });
		expect(
			(await listFlags(c, { participantId: p.id, open: true })).filter(
				(f) => f.sourceType === 'adverse_event'
			)
		).toEqual([]);
	});

	it('MADRS item 10 at 4 is urgent; corrected to 1 the flag closes itself', async () => {
		const { recordScaleAdministration } =
			await import('../../src/lib/server/services/capture/scales');
		const { correctScaleAdministration } =
			await import('../../src/lib/server/services/capture/scale-corrections');
		const { c, p } = await running();
		const items = (last: number) =>
			Object.fromEntries(
				[3, 3, 3, 3, 3, 3, 3, 3, 3, last].map((v, i) => [String(i + 1), String(v)])
			);
		const madrs = await recordScaleAdministration(c, p.id, {
			instrument: 'MADRS',
			administeredAt: '2026-11-20T10:20',
			items: items(4)
		});
		const open = (await listFlags(c, { participantId: p.id, open: true })).filter(
			(f) => f.sourceType === 'scale_administration'
		);
		expect(open.map((f) => [f.ruleId, f.level])).toEqual([['scale.MADRS.item10.urgent', 'urgent']]);
		await correctScaleAdministration(c, madrs.id, {
			instrument: 'MADRS',
			administeredAt: '2026-11-20T10:20',
			items: items(1),
			reason: 'item 10 misread'
		});
		expect(
			(await listFlags(c, { participantId: p.id, open: true })).filter(
				(f) => f.sourceType === 'scale_administration'
			)
		).toEqual([]);
	});
});
