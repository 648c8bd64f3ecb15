// A reading's time is when it was measured: typed, or the moment of saving; never the planned
// time. Late-reading flags close when the reading arrives and keep how late it was.
import { beforeEach, describe, expect, it } from 'vitest';
import { sessionView } from '../../src/lib/server/services/capture/session-view';
import { correctVitals, recordVitals } from '../../src/lib/server/services/capture/vitals';
import { siteOverview } from '../../src/lib/server/services/dashboards/site-overview';
import { runSafetyClock } from '../../src/lib/server/services/safety/safety-clock';
import { listFlags } from '../../src/lib/server/services/safety/flags';
import { runningSession, type TestDb, freshDbEach } from '../helpers/db';

let t: TestDb;
let clock: number;
const now = () => new Date(clock);

freshDbEach((db) => (t = db));
beforeEach(() => {
	clock = Date.parse('2026-11-20T09:20:00Z');
});

/** T0 10:00 in Oslo (09:00Z); the 30-minute reading is planned for 10:30 (09:30Z). */
async function running() {
	const { coordinator: c, session: s } = await runningSession(t, { now });
	return { c, s };
}

const values = { systolic: 128, diastolic: 82, heartRate: 76 };
const missedFlags = async (c: Parameters<typeof listFlags>[0], sessionId: number) =>
	(await listFlags(c, { sessionId })).filter((f) => f.ruleId === 'vitals.missed-reading');

describe('the time of a reading', () => {
	it('left empty, it is the moment of saving, not the planned time', async () => {
		const { c, s } = await running();
		clock = Date.parse('2026-11-20T09:52:00Z');
		const r = await recordVitals(c, s.id, { timepoint: 30, ...values });
		expect(r.measured_at).toBe('2026-11-20T09:52:00.000Z');
		const row = (await sessionView(c, s.id)).rows.find((x) => x.key === '30')!;
		expect(row.lateness).toEqual({ minutes: 22, onTime: false, text: '22 min late' });
	});

	it('typed, it is what was typed; a correction without a time keeps it', async () => {
		const { c, s } = await running();
		clock = Date.parse('2026-11-20T10:05:00Z');
		const r = await recordVitals(c, s.id, { timepoint: 30, takenAt: '10:38', ...values });
		expect(r.measured_at).toBe('2026-11-20T09:38:00.000Z');
		const fixed = await correctVitals(c, r.id, {
			timepoint: 30,
			takenAt: '',
			...values,
			heartRate: 78,
			reason: 'Misread the monitor'
		});
		expect(fixed.measured_at).toBe('2026-11-20T09:38:00.000Z');
	});

	it('the issue: a late-reading flag closes when the reading arrives and keeps how late it was', async () => {
		const { c, s } = await running();
		clock = Date.parse('2026-11-20T09:50:00Z');
		await runSafetyClock({ ...c, actor: { kind: 'system', label: 'safety-clock' } });
		const [open] = await missedFlags(c, s.id);
		expect(open).toMatchObject({ status: 'raised' });
		clock = Date.parse('2026-11-20T09:52:00Z');
		await recordVitals(c, s.id, { timepoint: 30, ...values });
		const [closed] = await missedFlags(c, s.id);
		expect(closed).toMatchObject({
			status: 'closed',
			outcome:
				'Closed automatically: the 30 MIN POST-DOSE reading arrived, measured at 10:52 (planned 10:30, 22 min late).'
		});
	});
});

describe('the site overview', () => {
	it('shows the share of scheduled readings measured within 15 minutes of plan', async () => {
		const { c, s } = await running();
		clock = Date.parse('2026-11-20T11:30:00Z');
		await recordVitals(c, s.id, { timepoint: -30, takenAt: '09:31', ...values }); // on time
		await recordVitals(c, s.id, { timepoint: 30, takenAt: '10:52', ...values }); // 22 late
		await recordVitals(c, s.id, { timepoint: 60, takenAt: '11:10', ...values }); // 10 late
		await recordVitals(c, s.id, { timepoint: 'unscheduled', takenAt: '11:20', ...values });
		const o = await siteOverview(c, 'A1');
		expect(o.onTime).toEqual({
			onTime: 2,
			total: 3,
			rate: 2 / 3,
			days: 30,
			toleranceMinutes: 15
		});
	});
});
