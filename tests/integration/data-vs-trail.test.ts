// `audit verify` holds every clinical record against its trail: a direct SQL edit of a clinical
// table that bypasses the services (and so writes no audit entry) is reported with the record and
// the field, as are rows inserted or deleted behind the trail's back. On SQLite and PostgreSQL.
import { describe, expect, it } from 'vitest';
import {
	correctVitals,
	markVitalsEnteredInError,
	recordVitals
} from '../../src/lib/server/services/capture/vitals';

import { addFormVersion, recordConsent } from '../../src/lib/server/services/trial/consent';
import {
	acknowledgeFlag,
	listFlags,
	recordFlagAction
} from '../../src/lib/server/services/safety/flags';
import { compareTable, dataAgainstTrail, replay } from '../../src/lib/server/audit/data-vs-trail';
import { actorFor, type TestDb, runningSession } from '../helpers/db';
import { freshDbEach, verifyUnsigned } from '../helpers/trail';

let t: TestDb;
let clock: number;
const now = () => new Date(clock);

freshDbEach((db) => {
	t = db;
	clock = Date.parse('2026-11-20T09:40:00Z');
});

const values = { systolic: '124', diastolic: '80', heartRate: '72', temperature: '36.8' };

/** A session with one reading as saved, one corrected and one entered in error. */
async function study() {
	const { coordinator: c, participant: p, session: s } = await runningSession(t, { now });
	const saved = await recordVitals(c, s.id, { timepoint: -30, takenAt: '09:30', ...values });
	clock = Date.parse('2026-11-20T10:40:00Z');
	const corrected = await recordVitals(c, s.id, { timepoint: 30, takenAt: '10:31', ...values });
	await correctVitals(c, corrected.id, {
		timepoint: 30,
		takenAt: '10:31',
		...values,
		systolic: '131',
		reason: 'misread the monitor'
	});
	const erred = await recordVitals(c, s.id, { timepoint: 60, takenAt: '11:00', ...values });
	await markVitalsEnteredInError(c, erred.id, { reason: 'wrong participant' });
	return { p, s, saved, corrected, erred };
}

const verify = () => verifyUnsigned(t);

describe('the clinical records against their trail', () => {
	it('match after saves, corrections and entries in error made through the services', async () => {
		await study();
		const report = await verify();
		expect(report.data).toEqual([]);
		expect(report.ok).toBe(true);
	});

	it('reports a direct UPDATE of a reading, naming the record, the field and both values', async () => {
		const { saved } = await study();
		await t.exec(`UPDATE vital_reading SET systolic = 98 WHERE id = ${saved.id}`);
		const report = await verify();
		expect(report.ok).toBe(false);
		expect(report.problem?.kind).toBe('data');
		expect(report.data).toEqual([
			expect.objectContaining({
				table: 'vital_reading',
				id: String(saved.id),
				field: 'systolic',
				trail: 124,
				data: 98
			})
		]);
		expect(report.problem?.message).toBe(
			`vital_reading ${saved.id} systolic is 98 but the audit trail says 124`
		);
	});

	it('holds a corrected value against the correction, not the first save', async () => {
		const { corrected } = await study();
		await t.exec(`UPDATE vital_reading SET systolic = 124 WHERE id = ${corrected.id}`);
		const report = await verify();
		expect(report.data.map((d) => [d.field, d.trail, d.data])).toEqual([['systolic', 131, 124]]);
	});

	it('reports a reading quietly taken back from "entered in error", and a changed time', async () => {
		const { erred, saved } = await study();
		await t.exec(
			`UPDATE vital_reading SET entered_in_error_at = NULL WHERE id = ${erred.id};
			 UPDATE vital_reading SET measured_at = '2026-11-20T08:45:00.000Z' WHERE id = ${saved.id}`
		);
		const report = await verify();
		expect(report.data.map((d) => `${d.id} ${d.field}`).sort()).toEqual(
			[`${erred.id} entered_in_error_at`, `${saved.id} measured_at`].sort()
		);
	});

	it("reports other clinical tables too: a participant's status and a session's dose", async () => {
		const { p, s } = await study();
		await t.exec(
			`UPDATE participant SET status = 'withdrawn' WHERE id = ${p.id};
			 UPDATE dosing_session SET initial_dose_mg = 80 WHERE id = ${s.id}`
		);
		const report = await verify();
		expect(report.data.map((d) => `${d.table}.${d.field}`).sort()).toEqual([
			'dosing_session.initial_dose_mg',
			'participant.status'
		]);
	});

	it("reports a consent record and a safety flag edited behind the trail's back", async () => {
		const { p, s } = await study();
		const c = await actorFor(t, 'coordinator', ['A1'], now);
		const admin = await actorFor(t, 'admin', [], now);
		const version = await addFormVersion(admin, t.studyId, {
			label: '1.0',
			approvedOn: '2026-08-01',
			activeFrom: '2026-08-15',
			reconsentRequired: false
		});
		const consent = await recordConsent(c, p.id, {
			formVersionId: String(version.id),
			signedAt: '2026-10-01T09:00',
			signer: 'participant',
			obtainedByName: 'Dr Berg',
			copyGivenOn: '2026-10-01',
			copyMedium: 'paper'
		});
		await recordVitals(c, s.id, {
			timepoint: 'unscheduled',
			takenAt: '10:45',
			...values,
			systolic: '192',
			confirmed: true
		});
		const flag = (await listFlags(c, { participantId: p.id }))[0]!;
		await acknowledgeFlag(await actorFor(t, 'investigator', ['A1'], now), flag.id);
		await recordFlagAction(c, flag.id, { category: 'recheck', text: 'Rechecked after rest' });
		expect((await verify()).data).toEqual([]);
		await t.exec(
			`UPDATE consent_record SET signed_at = '2026-09-01T07:00:00.000Z', obtained_by_name = 'Nobody' WHERE id = ${consent.id};
			 UPDATE flag SET level = 'info', rule_id = 'none', action_text = 'Nothing' WHERE id = ${flag.id}`
		);
		const report = await verify();
		expect(report.ok).toBe(false);
		expect(report.data.map((d) => `${d.table} ${d.id} ${d.field}`).sort()).toEqual(
			[
				`consent_record ${consent.id} obtained_by_name`,
				`consent_record ${consent.id} signed_at`,
				`flag ${flag.id} action_text`,
				`flag ${flag.id} level`,
				`flag ${flag.id} rule_id`
			].sort()
		);
	});

	it('reports a row inserted without an audit entry and an audited row deleted', async () => {
		const { saved, corrected } = await study();
		const columns =
			'dosing_session_id, participant_id, site_id, timepoint_minutes, timepoint_label, measured_at, systolic, diastolic, heart_rate, temperature_c, source, created_at';
		await t.exec(
			`INSERT INTO vital_reading (${columns}) SELECT ${columns} FROM vital_reading WHERE id = ${saved.id};
			 DELETE FROM vital_reading WHERE id = ${corrected.id}`
		);
		const report = await verify();
		const messages = report.data.map((d) => d.message);
		expect(messages).toContainEqual(
			expect.stringMatching(
				/^vital_reading \d+ is in the database but has no entry in the audit trail$/
			)
		);
		expect(messages).toContain(
			`vital_reading ${corrected.id} is in the audit trail but its row is gone from the database`
		);
		expect(report.ok).toBe(false);
	});

	it('reports the same, in the same order, held a record at a time as the whole table at once', async () => {
		const { saved, corrected, erred } = await study();
		const { coordinator: c, session: s2 } = await runningSession(t, {
			now,
			enrolledOn: '2026-10-02'
		});
		const more = [];
		// Ids past 9: the trail's record ids ('10' before '9') are not in the rows' order.
		for (let m = 5; m <= 50; m += 5) {
			const takenAt = `10:${String(m).padStart(2, '0')}`;
			more.push(await recordVitals(c, s2.id, { timepoint: 'unscheduled', takenAt, ...values }));
		}
		const columns =
			'dosing_session_id, participant_id, site_id, timepoint_minutes, timepoint_label, measured_at, systolic, diastolic, heart_rate, temperature_c, source, created_at';
		expect(more.at(-1)!.id).toBeGreaterThan(10);
		// Edits of rows in several batches, a row with no entry before the audited ones, rows gone.
		await t.exec(
			`UPDATE vital_reading SET systolic = 99, heart_rate = 61 WHERE id = ${more[2]!.id};
			 UPDATE vital_reading SET systolic = 98 WHERE id IN (9, 10);
			 INSERT INTO vital_reading (id, ${columns}) SELECT 0, ${columns} FROM vital_reading WHERE id = ${saved.id};
			 UPDATE vital_reading SET diastolic = 55 WHERE id = ${saved.id};
			 INSERT INTO vital_reading (${columns}) SELECT ${columns} FROM vital_reading WHERE id = ${saved.id};
			 UPDATE vital_reading SET entered_in_error_at = NULL WHERE id = ${erred.id};
			 DELETE FROM vital_reading WHERE id = ${corrected.id};
			 DELETE FROM vital_reading WHERE id = ${more[0]!.id}`
		);
		// The whole table replayed at once and held against every row (the unit functions).
		const events = await t.db
			.selectFrom('audit_event')
			.select(['entity_id', 'action', 'new_values'])
			.where('entity_type', '=', 'vital_reading')
			.where('entity_id', 'is not', null)
			.orderBy('entity_id')
			.orderBy('seq')
			.execute();
		const rows = await t.db.selectFrom('vital_reading').selectAll().orderBy('id').execute();
		const columnNames = new Set(Object.keys(rows[0]!));
		const whole = compareTable('vital_reading', rows, replay('vital_reading', events, columnNames));
		expect(whole.length).toBeGreaterThanOrEqual(6);
		for (const batchRecords of [1, 2, 3, 1000]) {
			const held = (await dataAgainstTrail(t.db, { batchRecords })).filter(
				(d) => d.table === 'vital_reading'
			);
			expect(held).toEqual(whole);
		}
	});
});
