// E-mail alerts to the on-call roster, sent to a real SMTP server in this process.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
	ForbiddenError,
	NotFoundError,
	ValidationError
} from '../../src/lib/server/runtime/errors';
import { smtpMailer, sendAlert } from '../../src/lib/server/services/alerts/mailer';
import {
	addOnCall,
	onCallRoster,
	removeOnCall
} from '../../src/lib/server/services/alerts/on-call';
import { dispatchSafetyAlerts } from '../../src/lib/server/services/alerts/safety-alerts';
import { startDosingSession } from '../../src/lib/server/services/capture/dosing-sessions';
import { listVisits } from '../../src/lib/server/services/capture/visits';
import { recordVitals } from '../../src/lib/server/services/capture/vitals';
import { runSafetyClock } from '../../src/lib/server/services/safety/safety-clock';
import { actorFor, enrolledParticipant, type TestDb, freshDbEach } from '../helpers/db';
import { startSmtp, type TestSmtp } from '../helpers/smtp';

let t: TestDb;
let smtp: TestSmtp;
let clock: number;
const now = () => new Date(clock);
const settings = { origin: 'https://vigil.example.org', saeHoursBefore: 4 };

freshDbEach((db) => (t = db));
beforeEach(async () => {
	smtp = await startSmtp();
	clock = Date.parse('2026-11-20T09:31:00Z');
});
afterEach(async () => {
	await smtp.close();
});

/** A running session at A1 (T0 10:00 Oslo) and the people around it. */
async function running() {
	const c = await actorFor(t, 'coordinator', ['A1'], now);
	const inv = await actorFor(t, 'investigator', ['A1'], now);
	const admin = await actorFor(t, 'admin', [], now);
	const p = await enrolledParticipant(t, 'A1', '2026-10-01');
	const dosing = (await listVisits(c, p.id)).find((v) => v.kind === 'dosing')!;
	const s = await startDosingSession(c, p.id, {
		visitId: dosing.id,
		t0: '2026-11-20T10:00',
		initialDoseMg: 120,
		deviationReason: 'test set-up'
	});
	await recordVitals(c, s.id, { timepoint: -30, takenAt: '09:30', systolic: 122, diastolic: 80 });
	return { c, inv, admin, p, s };
}

const system = () => ({ ...t.system, now });
const mailer = () => smtpMailer(smtp.url, 'Vigil <vigil@site.example>');

describe('the on-call roster', () => {
	it('admins and the site’s investigators keep it, in site time; others may not', async () => {
		const { c, inv } = await running();
		const elsewhere = await actorFor(t, 'investigator', ['B1'], now);
		const shift = {
			name: 'Dr Night',
			email: 'Night@Site.example',
			startsAt: '2026-11-20T08:00',
			endsAt: '2026-11-20T20:00'
		};
		const entry = await addOnCall(inv, t.siteA, shift);
		// 08:00 in Oslo is 07:00Z.
		expect(entry).toMatchObject({
			email: 'night@site.example',
			startsAt: '2026-11-20T07:00:00.000Z',
			onCallNow: true
		});
		await expect(addOnCall(c, t.siteA, shift)).rejects.toBeInstanceOf(ForbiddenError);
		await expect(addOnCall(elsewhere, t.siteA, shift)).rejects.toBeInstanceOf(NotFoundError);
		const bad = await addOnCall(inv, t.siteA, { ...shift, endsAt: '2026-11-20T07:00' }).catch(
			(e: unknown) => e
		);
		expect((bad as ValidationError).fieldErrors.endsAt).toBeTruthy();
		await removeOnCall(inv, entry.id);
		expect(await onCallRoster(inv, t.siteA)).toEqual([]);
		const audit = await t.db
			.selectFrom('audit_event')
			.select('action')
			.where('entity_type', '=', 'on_call')
			.execute();
		expect(audit.map((a) => a.action)).toEqual(['on_call.add', 'on_call.remove']);
	});
});

describe('e-mail alerts', () => {
	it('an urgent flag e-mails whoever is on call: subject code, level, rule and link only; once; audited', async () => {
		const { c, inv, p, s } = await running();
		await addOnCall(inv, t.siteA, {
			name: 'Dr Night',
			email: 'night@site.example',
			startsAt: '2026-11-20T08:00',
			endsAt: '2026-11-20T20:00'
		});
		await addOnCall(inv, t.siteA, {
			name: 'Tomorrow',
			email: 'tomorrow@site.example',
			startsAt: '2026-11-21T08:00',
			endsAt: '2026-11-21T20:00'
		});
		await recordVitals(c, s.id, {
			timepoint: 30,
			takenAt: '10:30',
			systolic: 190,
			diastolic: 100,
			confirmed: true
		});
		expect(await dispatchSafetyAlerts(system(), mailer(), settings)).toBeGreaterThan(0);
		expect(smtp.received.length).toBeGreaterThan(0);
		const mail = smtp.received[0]!;
		expect(mail.to).toEqual(['night@site.example']);
		expect(mail.raw).toMatch(/Subject: \[Vigil\] URGENT flag: /);
		expect(mail.raw).toContain(`Subject: ${p.subjectCode}`);
		expect(mail.raw).toContain('Level: urgent');
		expect(mail.raw).toMatch(/Rule: vitals\.systolic\.high\.urgent/);
		expect(mail.raw).toMatch(/https:\/\/vigil\.example\.org\/review#flag-\d+/);
		// Nothing else about the participant: no readings, no sex, no birth year.
		expect(mail.raw).not.toMatch(/190|1980|mmHg/);

		const count = smtp.received.length;
		await dispatchSafetyAlerts(system(), mailer(), settings);
		expect(smtp.received.length).toBe(count);
		const sent = await t.db
			.selectFrom('audit_event')
			.select(['new_values', 'site_id'])
			.where('action', '=', 'alert.sent')
			.execute();
		expect(sent).toHaveLength(count);
		expect(JSON.parse(sent[0]!.new_values!)).toMatchObject({ to: ['night@site.example'] });
	});

	it('an escalation is announced too; nobody on call means nothing sent (and tried again later)', async () => {
		const { c, inv, s } = await running();
		await recordVitals(c, s.id, {
			timepoint: 30,
			takenAt: '10:30',
			systolic: 190,
			diastolic: 100,
			confirmed: true
		});
		expect(await dispatchSafetyAlerts(system(), mailer(), settings)).toBe(0);
		clock += 11 * 60_000;
		await runSafetyClock({ ...system(), actor: { kind: 'system', label: 'safety-clock' } });
		await addOnCall(inv, t.siteA, {
			name: 'Dr Night',
			email: 'night@site.example',
			startsAt: '2026-11-20T08:00',
			endsAt: '2026-11-20T20:00'
		});
		await dispatchSafetyAlerts(system(), mailer(), settings);
		const subjects = smtp.received.map((m) => /Subject: (\[Vigil\][^\r\n]*)/.exec(m.raw)?.[1]);
		expect(subjects.some((x) => x?.includes('URGENT flag'))).toBe(true);
		expect(subjects.some((x) => x?.includes('ESCALATED flag'))).toBe(true);
	});

	it('a refused message is audited as failed, not lost', async () => {
		const refusing = { send: () => Promise.reject(new Error('550 mailbox unavailable')) };
		const result = await sendAlert(system(), refusing, {
			kind: 'test',
			to: ['x@site.example'],
			subject: 's',
			text: 't',
			siteId: t.siteA,
			entityType: 'flag',
			entityId: 1
		});
		expect(result).toBe('failed');
		const [row] = await t.db
			.selectFrom('audit_event')
			.select('new_values')
			.where('action', '=', 'alert.failed')
			.execute();
		expect(JSON.parse(row!.new_values!).error).toContain('550');
	});
});
