// The tamper suite, table by table: every audited table `audit verify` holds against the trail
// gets a direct SQL edit, and verify names the record and the field. The randomisation's tables
// (the concealed list, its seed, which participant holds which slot, the randomisation record) are
// held against the list's audited digest and the randomisations in the trail, and verify's report
// never shows an arm: admins and auditors, who run it, are blinded. On SQLite and PostgreSQL.
import { describe, expect, it } from 'vitest';
import { TRAIL_COVERAGE } from '../../src/lib/server/audit/data-vs-trail';
import { AUDIT_ENTITY_TYPES } from '../../src/lib/server/audit/actions';
import { CONCEALED } from '../../src/lib/server/audit/allocation-vs-trail';

import { addOnCall } from '../../src/lib/server/services/alerts/on-call';
import {
	startDosingSession,
	updateDosingSession
} from '../../src/lib/server/services/capture/dosing-sessions';
import { recordScaleAdministration } from '../../src/lib/server/services/capture/scales';
import { listVisits } from '../../src/lib/server/services/capture/visits';
import { recordVitals } from '../../src/lib/server/services/capture/vitals';
import { raiseQuery } from '../../src/lib/server/services/monitoring/queries';
import { signRecord } from '../../src/lib/server/services/signatures/signatures';
import { recordBlindingGuess } from '../../src/lib/server/services/trial/blinding-guesses';
import { addFormVersion, recordConsent } from '../../src/lib/server/services/trial/consent';
import { issueEproLink, submitEproLink } from '../../src/lib/server/services/trial/epro';
import { randomiseParticipant } from '../../src/lib/server/services/trial/randomisation';
import { emergencyUnblind } from '../../src/lib/server/services/trial/unblinding';
import { PASSWORD, actorFor, enrolledParticipant, type TestDb } from '../helpers/db';
import { findingsOf, freshDbEach, verifyUnsigned } from '../helpers/trail';

let t: TestDb;
const NOW = new Date('2026-11-20T18:00:00Z');
const now = () => NOW;

freshDbEach((db) => (t = db));

/** Arm codes and labels of the demo protocol: none may appear in a report a blinded role reads. */
const ARMS = /\bPBO\b|\bMDMA\b|Placebo with therapy|MDMA-assisted therapy/;

const verify = (ctx = t.system) => verifyUnsigned(t, ctx);

/** A baseline MADRS (for the severity stratum) and a randomisation. */
async function randomised(c: Awaited<ReturnType<typeof actorFor>>) {
	const p = await enrolledParticipant(t, 'A1', '2026-10-01');
	const bl = (await listVisits(c, p.id)).find((v) => v.visit_code === 'BL')!;
	await recordScaleAdministration(c, p.id, {
		instrument: 'MADRS',
		visitId: String(bl.id),
		administeredAt: '2026-10-20T10:00',
		items: Object.fromEntries(Array.from({ length: 10 }, (_, k) => [String(k + 1), '4']))
	});
	await randomiseParticipant(c, p.id);
	return p;
}

/** One of everything the added checks cover, made through the services. */
async function trial() {
	const c = await actorFor(t, 'coordinator', ['A1'], now);
	const inv = await actorFor(t, 'investigator', ['A1'], now);
	const admin = await actorFor(t, 'admin', [], now);
	const monitor = await actorFor(t, 'monitor', ['A1'], now);
	const version = await addFormVersion(admin, t.studyId, {
		label: '1.0',
		approvedOn: '2026-08-01',
		activeFrom: '2026-08-15',
		reconsentRequired: false,
		summary: 'First approved version'
	});
	const participants = [];
	for (let i = 0; i < 3; i++) {
		const p = await randomised(c);
		await recordConsent(c, p.id, {
			formVersionId: String(version.id),
			signedAt: '2026-10-01T09:00',
			signer: 'participant',
			obtainedByName: 'Dr Berg',
			copyGivenOn: '2026-10-01',
			copyMedium: 'paper'
		});
		participants.push(p);
	}
	const [p1, p2] = [participants[0]!, participants[1]!];
	await emergencyUnblind(
		inv,
		p1.id,
		{ reason: 'Suspected serotonin syndrome', confirm: 'on', password: PASSWORD },
		{ smtpUrl: undefined, from: 'x@test.example' }
	);
	const guess = await recordBlindingGuess(c, p2.id, {
		respondent: 'participant',
		timepoint: 'EOT',
		guess: 'active',
		confidence: 'high'
	});
	const dosing = (await listVisits(c, p2.id)).find((v) => v.kind === 'dosing')!;
	const s = await startDosingSession(c, p2.id, {
		visitId: dosing.id,
		t0: '2026-11-20T10:00',
		initialDoseMg: 120,
		deviationReason: 'test set-up'
	});
	await recordVitals(c, s.id, { timepoint: -30, takenAt: '09:30', systolic: 122, diastolic: 80 });
	await updateDosingSession(c, s.id, { endedAt: '2026-11-20T15:30' });
	const signature = await signRecord(inv, {
		entityType: 'dosing_session',
		entityId: s.id,
		meaning: 'reviewed',
		userId: inv.actor.email,
		password: PASSWORD
	});
	const query = await raiseQuery(monitor, {
		entityType: 'dosing_session',
		entityId: s.id,
		field: 'initial_dose_mg',
		text: 'Source says 80 mg; please check.',
		expectedValue: '80'
	});
	const onCall = await addOnCall(inv, t.siteA, {
		name: 'Dr Night',
		email: 'night@site.example',
		startsAt: '2026-11-20T08:00',
		endsAt: '2026-11-20T20:00'
	});
	const link = await issueEproLink(c, p2.id, { instrument: 'PHQ9', mode: 'link' });
	const door = { db: t.db, actor: { kind: 'anonymous' as const }, requestId: null, now };
	const { administrationId } = await submitEproLink(door, link.token, {
		items: Object.fromEntries(Array.from({ length: 9 }, (_, i) => [String(i + 1), 1]))
	});
	return {
		admin,
		p1,
		p2,
		version,
		guess,
		signature,
		query,
		onCall,
		link,
		administrationId,
		coordinator: c
	};
}

const slotOf = (participantId: number) =>
	t.db
		.selectFrom('allocation_slot')
		.selectAll()
		.where('participant_id', '=', participantId)
		.executeTakeFirstOrThrow();

const found = () => findingsOf(t);

describe('every record type the trail names is held against the database, or says why not', () => {
	it('lists each audited entity type', () => {
		expect(Object.keys(TRAIL_COVERAGE).sort()).toEqual([...AUDIT_ENTITY_TYPES].sort());
	});
});

describe('the added tables against their trail', () => {
	it('match after a trial made through the services (randomised, unblinded, ePRO, signed, queried)', async () => {
		await trial();
		const report = await verify();
		expect(report.data).toEqual([]);
		expect(report.ok).toBe(true);
	});

	it('consent form version: a changed activation date and summary', async () => {
		const { version } = await trial();
		await t.exec(
			`UPDATE consent_form_version SET active_from = '2026-01-01T00:00:00.000Z', summary = 'x' WHERE id = ${version.id}`
		);
		expect(await found()).toEqual([
			`consent_form_version ${version.id} active_from`,
			`consent_form_version ${version.id} summary`
		]);
	});

	it('blinding guess, signature, data query, ePRO link, on-call entry', async () => {
		const x = await trial();
		await t.exec(
			`UPDATE blinding_guess SET guess = 'placebo' WHERE id = ${x.guess.id};
			 UPDATE signature SET meaning = 'approved' WHERE id = ${x.signature.id};
			 UPDATE data_query SET status = 'closed' WHERE id = ${x.query.id};
			 UPDATE epro_link SET expires_at = '2027-01-01T00:00:00.000Z' WHERE id = ${x.link.id};
			 UPDATE on_call SET email = 'attacker@evil.example' WHERE id = ${x.onCall.id}`
		);
		expect(await found()).toEqual(
			[
				`blinding_guess ${x.guess.id} guess`,
				`signature ${x.signature.id} meaning`,
				`data_query ${x.query.id} status`,
				`epro_link ${x.link.id} expires_at`,
				`on_call ${x.onCall.id} email`
			].sort()
		);
	});

	it('an ePRO answer (created by the participant, not staff) is checked like any scale', async () => {
		const x = await trial();
		await t.exec(`UPDATE scale_administration SET total = 0 WHERE id = ${x.administrationId}`);
		expect(await found()).toEqual([`scale_administration ${x.administrationId} total`]);
	});

	it("user, site, study, protocol version: a role raised in SQL is an escalation, and it's reported", async () => {
		const { coordinator } = await trial();
		const protocol = await t.db
			.selectFrom('protocol_version')
			.select('id')
			.executeTakeFirstOrThrow();
		await t.exec(
			`UPDATE "user" SET role = 'admin' WHERE id = ${coordinator.actor.id};
			 UPDATE site SET timezone = 'UTC' WHERE id = ${t.siteA};
			 UPDATE study SET title = 'Another study' WHERE id = ${t.studyId};
			 UPDATE protocol_version SET version = '9.9' WHERE id = ${protocol.id}`
		);
		expect(await found()).toEqual(
			[
				`user ${coordinator.actor.id} role`,
				`site ${t.siteA} timezone`,
				`study ${t.studyId} title`,
				`protocol_version ${protocol.id} version`
			].sort()
		);
	});

	it('randomisation record: its kit and its unblinding taken back', async () => {
		const { p1, p2 } = await trial();
		const r1 = await t.db
			.selectFrom('randomisation')
			.selectAll()
			.where('participant_id', '=', p1.id)
			.executeTakeFirstOrThrow();
		const r2 = await t.db
			.selectFrom('randomisation')
			.selectAll()
			.where('participant_id', '=', p2.id)
			.executeTakeFirstOrThrow();
		await t.exec(
			`UPDATE randomisation SET unblinded_at = NULL, unblind_reason = NULL WHERE id = ${r1.id};
			 UPDATE randomisation SET kit = '000000' WHERE id = ${r2.id}`
		);
		expect(await found()).toEqual(
			[
				`randomisation ${r1.id} unblinded_at`,
				`randomisation ${r1.id} unblind_reason`,
				`randomisation ${r2.id} kit`
			].sort()
		);
		const report = await verify();
		expect(report.data.find((d) => d.field === 'kit')).toMatchObject({
			trail: r2.kit,
			data: '000000'
		});
	});

	it('allocation list consumption: a slot handed to another participant, and a slot taken in SQL', async () => {
		const { p1, p2 } = await trial();
		const s1 = await slotOf(p1.id);
		const s2 = await slotOf(p2.id);
		const free = await t.db
			.selectFrom('allocation_slot')
			.select('id')
			.where('participant_id', 'is', null)
			.where('stratum', '=', s1.stratum)
			.orderBy('sequence')
			.executeTakeFirstOrThrow();
		const never = await enrolledParticipant(t, 'A1', '2026-10-01');
		// Swap two participants' slots (and so their arms); take a free one for someone never randomised.
		await t.exec(
			`UPDATE allocation_slot SET participant_id = NULL WHERE id IN (${s1.id}, ${s2.id});
			 UPDATE allocation_slot SET participant_id = ${p2.id} WHERE id = ${s1.id};
			 UPDATE allocation_slot SET participant_id = ${p1.id} WHERE id = ${s2.id};
			 UPDATE allocation_slot SET participant_id = ${never.id} WHERE id = ${free.id}`
		);
		expect(await found()).toEqual(
			[
				`allocation_slot ${s1.id} participant_id`,
				`allocation_slot ${s2.id} participant_id`,
				`allocation_slot ${free.id} participant_id`
			].sort()
		);
		const report = await verify();
		expect(report.data.find((d) => d.id === String(free.id))).toMatchObject({
			trail: null,
			data: never.id
		});
	});

	it('allocation list: an arm swapped and a slot added are named, and no arm is shown', async () => {
		const { p2 } = await trial();
		const slot = await slotOf(p2.id);
		const other = slot.arm === 'PBO' ? 'MDMA' : 'PBO';
		await t.exec(
			`UPDATE allocation_slot SET arm = '${other}' WHERE id = ${slot.id};
			 INSERT INTO allocation_slot (study_id, stratum, sequence, block, block_size, arm, kit)
			 VALUES (${slot.study_id}, '${slot.stratum}', 999, 99, 2, 'PBO', '999999')`
		);
		const auditor = await actorFor(t, 'auditor', ['A1'], now);
		const report = await verify(auditor);
		const extra = await t.db
			.selectFrom('allocation_slot')
			.select('id')
			.where('kit', '=', '999999')
			.executeTakeFirstOrThrow();
		expect(report.ok).toBe(false);
		expect(report.data.map((d) => `${d.table} ${d.id} ${d.field ?? '(row)'}`).sort()).toEqual(
			[`allocation_slot ${slot.id} arm`, `allocation_slot ${extra.id} (row)`].sort()
		);
		const arm = report.data.find((d) => d.field === 'arm')!;
		expect([arm.trail, arm.data]).toEqual([CONCEALED, CONCEALED]);
		// The whole report an auditor (a blinded role) reads: no arm code or label anywhere.
		expect(JSON.stringify(report)).not.toMatch(ARMS);
		expect(report.problem?.message).not.toMatch(ARMS);
	});

	it('the seed: changed or deleted, reported without showing it', async () => {
		await trial();
		const seed = await t.db.selectFrom('randomisation_seed').selectAll().executeTakeFirstOrThrow();
		await t.exec(`UPDATE randomisation_seed SET seed = '${'0'.repeat(64)}'`);
		let report = await verify();
		expect(report.data.map((d) => `${d.table} ${d.id} ${d.field}`)).toEqual([
			`randomisation_seed study ${seed.study_id} seed`
		]);
		expect(JSON.stringify(report)).not.toContain(seed.seed);
		await t.exec(`DELETE FROM randomisation_seed`);
		report = await verify();
		expect(report.data.map((d) => d.message)).toEqual([
			`randomisation_seed study ${seed.study_id} is in the audit trail but its row is gone from the database`
		]);
	});
});
