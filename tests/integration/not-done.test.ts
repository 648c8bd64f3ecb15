// Ending a session with scheduled readings missing asks, per timepoint, for "not done" and why.
import { beforeEach, describe, expect, it } from 'vitest';
import { updateDosingSession } from '../../src/lib/server/services/capture/dosing-sessions';
import { MissingReadings } from '../../src/lib/server/services/capture/not-done';
import { sessionView } from '../../src/lib/server/services/capture/session-view';
import { recordVitals } from '../../src/lib/server/services/capture/vitals';
import { listDeviations } from '../../src/lib/server/services/protocol/deviations';
import { runSafetyClock } from '../../src/lib/server/services/safety/safety-clock';
import { listFlags } from '../../src/lib/server/services/safety/flags';
import { type TestDb, runningSession, freshDbEach } from '../helpers/db';

let t: TestDb;
let clock: number;
const now = () => new Date(clock);

freshDbEach((db) => (t = db));
beforeEach(() => {
	clock = Date.parse('2026-11-20T09:20:00Z');
});

/** T0 10:00 Oslo (09:00Z), readings at -30 and 30 min; 60 and 90 never taken. */
async function session() {
	const { coordinator: c, participant: p, session: s } = await runningSession(t, { now });
	clock = Date.parse('2026-11-20T09:40:00Z');
	const values = { systolic: 124, diastolic: 80, heartRate: 72, temperature: 36.8 };
	await recordVitals(c, s.id, { timepoint: -30, takenAt: '09:30', ...values });
	await recordVitals(c, s.id, { timepoint: 30, takenAt: '10:31', ...values });
	clock = Date.parse('2026-11-20T10:50:00Z');
	await runSafetyClock({ ...c, actor: { kind: 'system', label: 'safety-clock' } });
	return { c, p, s };
}

describe('ending a session with scheduled readings missing', () => {
	it('lists them and ends nothing until each has a reason (the page always asks)', async () => {
		const { c, s } = await session();
		const asked = await updateDosingSession(c, s.id, {
			endedAt: '2026-11-20T11:45',
			askMissing: true
		}).catch((e: unknown) => e);
		expect(asked).toBeInstanceOf(MissingReadings);
		expect((asked as MissingReadings).missing).toEqual([
			{ key: '60', label: '1 H POST-DOSE', planned: '11:00' },
			{ key: '90', label: '1.5 H POST-DOSE (PRE-SUPPLEMENTAL)', planned: '11:30' }
		]);
		expect(Object.keys((asked as MissingReadings).fieldErrors)).toEqual([
			'notDone.60',
			'notDone.90'
		]);
		// One reason is not enough; the form's dotted fields are read too.
		await expect(
			updateDosingSession(c, s.id, { endedAt: '2026-11-20T11:45', 'notDone.60': 'asleep' })
		).rejects.toBeInstanceOf(MissingReadings);
		expect((await sessionView(c, s.id)).session.ended_at).toBeNull();
	});

	it('a client that neither asks nor sends reasons ends the session; the gaps stay open flags', async () => {
		const { c, s } = await session();
		await updateDosingSession(c, s.id, { endedAt: '2026-11-20T11:45' });
		const v = await sessionView(c, s.id);
		expect(v.session.ended_at).not.toBeNull();
		expect(v.rows.filter((r) => r.status === 'not-done')).toEqual([]);
		expect(
			(await listFlags(c, { sessionId: s.id, open: true })).filter(
				(f) => f.ruleId === 'vitals.missed-reading'
			)
		).toHaveLength(2);
	});

	it('with reasons: not-done readings, deviations, and the late-reading flag closes with the reason', async () => {
		const { c, p, s } = await session();
		expect(
			(await listFlags(c, { sessionId: s.id, open: true })).filter(
				(f) => f.ruleId === 'vitals.missed-reading'
			)
		).toHaveLength(2);
		await updateDosingSession(c, s.id, {
			endedAt: '2026-11-20T11:45',
			'notDone.60': 'Participant asleep; not woken',
			notDone: { '90': 'Cuff failed' }
		});
		const v = await sessionView(c, s.id);
		expect(
			v.rows.filter((r) => r.status === 'not-done').map((r) => [r.key, r.reading?.not_done_reason])
		).toEqual([
			['60', 'Participant asleep; not woken'],
			['90', 'Cuff failed']
		]);
		const missed = (await listFlags(c, { sessionId: s.id }))
			.filter((f) => f.ruleId === 'vitals.missed-reading')
			.sort((a, b) => a.id - b.id);
		expect(missed.map((f) => [f.status, f.outcome])).toEqual([
			[
				'closed',
				'Closed automatically: the 1 H POST-DOSE reading was recorded as not done: Participant asleep; not woken.'
			],
			[
				'closed',
				'Closed automatically: the 1.5 H POST-DOSE (PRE-SUPPLEMENTAL) reading was recorded as not done: Cuff failed.'
			]
		]);
		const deviations = await listDeviations(c, { participantId: p.id });
		expect(
			deviations
				.filter((d) => d.category === 'SAFETY ASSESSMENT NOT DONE')
				.map((d) => d.description)
		).toEqual([
			'Dosing session 1: vital signs at 1.5 H POST-DOSE (PRE-SUPPLEMENTAL) not done (Cuff failed).',
			'Dosing session 1: vital signs at 1 H POST-DOSE not done (Participant asleep; not woken).'
		]);
		const audit = await t.db
			.selectFrom('audit_event')
			.select(['action', 'reason'])
			.where('action', '=', 'vitals.not_done')
			.execute();
		expect(audit.map((a) => a.reason)).toEqual(['Participant asleep; not woken', 'Cuff failed']);
	});
});
