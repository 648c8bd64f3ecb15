// Records behind the SDTM tests, made through the services: an Oslo participant with baseline
// scales (one HAM-D with item 16 not assessed), a missed visit, one dosing session with vital
// signs (one unscheduled) and a supplemental dose, a later MADRS and an adverse event.
import { recordAdverseEvent } from '../../src/lib/server/services/capture/adverse-events';
import {
	startDosingSession,
	updateDosingSession
} from '../../src/lib/server/services/capture/dosing-sessions';
import { recordScaleAdministration } from '../../src/lib/server/services/capture/scales';
import { listVisits, recordVisit } from '../../src/lib/server/services/capture/visits';
import { recordVitals } from '../../src/lib/server/services/capture/vitals';
import { recordConmed } from '../../src/lib/server/services/trial/conmeds';
import { addFormVersion, recordConsent } from '../../src/lib/server/services/trial/consent';
import { actorFor, enrolledParticipant, type TestDb } from './db';
import { noCriteria } from './fixtures';

const items = (scores: Array<number | string>) =>
	Object.fromEntries(scores.map((s, i) => [String(i + 1), s]));

export async function sdtmRecords(t: TestDb, now: () => Date, verbatimTerm = 'felt sick') {
	const c = await actorFor(t, 'coordinator', ['A1'], now);
	const admin = await actorFor(t, 'admin', [], now);
	const form = await addFormVersion(admin, t.studyId, {
		label: '1.0',
		approvedOn: '2026-08-01',
		activeFrom: '2026-08-15',
		reconsentRequired: false
	});
	const p = await enrolledParticipant(t, 'A1', '2026-10-01');
	await recordConsent(c, p.id, {
		formVersionId: String(form.id),
		signedAt: '2026-10-01T09:00',
		signer: 'participant',
		obtainedByName: 'Dr Berg',
		copyGivenOn: '2026-10-01',
		copyMedium: 'paper'
	});
	await recordConmed(c, p.id, {
		name: 'Zoloft 50 mg',
		ingredient: 'Sertraline',
		dose: '50',
		doseUnit: 'mg',
		frequency: 'QD',
		route: 'ORAL',
		indication: 'Depression',
		start: '2024-03',
		stop: '2026-09'
	});
	const visits = await listVisits(c, p.id);
	const baseline = visits.find((v) => v.visit_code === 'BL')!;
	const dosing = visits.find((v) => v.kind === 'dosing')!;
	const missed = visits.find((v) => v.kind === 'preparatory')!;
	await recordVisit(c, baseline.id, { status: 'completed', actualOn: '2026-10-02' });
	await recordVisit(c, missed.id, { status: 'missed', missedReason: 'Participant unwell' });
	for (const [at, score] of [
		['2026-10-02T10:00', 2],
		['2026-10-02T11:00', 3]
	] as const) {
		await recordScaleAdministration(c, p.id, {
			instrument: 'MADRS',
			visitId: String(baseline.id),
			administeredAt: at,
			items: items(Array(10).fill(score))
		});
	}
	await recordScaleAdministration(c, p.id, {
		instrument: 'HAMD17',
		administeredAt: '2026-10-02T12:00',
		items: items([...Array(15).fill(1), 3, 1]) // item 16 = 3: not assessed
	});
	const s = await startDosingSession(c, p.id, {
		visitId: dosing.id,
		t0: '2026-11-20T10:00',
		initialDoseMg: 120
	});
	await recordVitals(c, s.id, {
		timepoint: -30,
		takenAt: '2026-11-20T09:30',
		confirmed: true,
		systolic: 120,
		diastolic: 80,
		heartRate: 70,
		temperature: 36.8
	});
	await recordVitals(c, s.id, {
		timepoint: 'unscheduled',
		takenAt: '2026-11-20T11:15',
		confirmed: true,
		heartRate: 90
	});
	await updateDosingSession(c, s.id, {
		supplemental: 'given',
		supplementalDoseMg: 60,
		supplementalAt: '2026-11-20T11:30'
	});
	await recordScaleAdministration(c, p.id, {
		instrument: 'MADRS',
		administeredAt: '2026-11-24T10:00',
		items: items(Array(10).fill(1))
	});
	await recordAdverseEvent(c, p.id, {
		verbatimTerm,
		codedTermCode: 'VIG-0003',
		onsetAt: '2026-11-20T11:00',
		awareAt: '2026-11-20T11:10',
		severity: '2',
		criteria: noCriteria,
		relatedness: 'possible',
		expectedness: 'expected',
		actionTaken: 'dose-not-changed',
		outcome: 'recovering'
	});
	return p;
}
