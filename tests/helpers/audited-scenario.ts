// A participant's whole course through the services, so that every kind of clinical entry the
// ODM file describes is in the trail: visits done and missed, a session with its supplemental
// dose given then corrected to not given, readings (one in °F, one corrected, two not done), an
// adverse event recorded and corrected, a scale moved to another visit, signatures and a void.
import {
	correctAdverseEvent,
	recordAdverseEvent
} from '../../src/lib/server/services/capture/adverse-events';
import {
	startDosingSession,
	updateDosingSession
} from '../../src/lib/server/services/capture/dosing-sessions';
import { changeParticipantStatus } from '../../src/lib/server/services/capture/participants';
import { correctScaleAdministration } from '../../src/lib/server/services/capture/scale-corrections';
import { recordScaleAdministration } from '../../src/lib/server/services/capture/scales';
import { listVisits, recordVisit } from '../../src/lib/server/services/capture/visits';
import { correctVitals, recordVitals } from '../../src/lib/server/services/capture/vitals';
import { signRecord } from '../../src/lib/server/services/signatures/signatures';
import type { ServiceContext } from '../../src/lib/server/runtime/context';
import { actorFor, enrolledParticipant, PASSWORD, type TestDb } from './db';
import { noCriteria } from './fixtures';

/**
 * A coordinator and an investigator at site A1, a participant enrolled on 2026-10-01 and its
 * first dosing session (T0 2026-11-20 10:00, 120 mg) with a baseline reading of 150/80 at 09:30;
 * `beforeSession` records what comes before the session (visits), `sign` signs it as reviewed.
 */
export async function signableSession(
	t: TestDb,
	now: () => Date,
	o: {
		temperature: number | string;
		beforeSession?: (c: ServiceContext, visits: Visits) => Promise<void>;
	}
) {
	const c = await actorFor(t, 'coordinator', ['A1'], now);
	const inv = await actorFor(t, 'investigator', ['A1'], now);
	const p = await enrolledParticipant(t, 'A1', '2026-10-01');
	const visits = await listVisits(c, p.id);
	const dosing = visits.find((v) => v.kind === 'dosing')!;
	await o.beforeSession?.(c, visits);
	const s = await startDosingSession(c, p.id, {
		visitId: dosing.id,
		t0: '2026-11-20T10:00',
		initialDoseMg: 120,
		deviationReason: 'test set-up'
	});
	const reading = { timepoint: -30, takenAt: '09:30', diastolic: 80, heartRate: 70 };
	const r = await recordVitals(c, s.id, { ...reading, systolic: 150, temperature: o.temperature });
	const sign = () =>
		signRecord(inv, {
			entityType: 'dosing_session',
			entityId: s.id,
			meaning: 'reviewed',
			userId: inv.actor.email,
			password: PASSWORD
		});
	return { c, inv, p, visits, dosing, s, reading, r, sign };
}

type Visits = Awaited<ReturnType<typeof listVisits>>;
const visitCoded = (visits: Visits, code: string) => visits.find((v) => v.visit_code === code)!;
/** The visits after baseline that are not dosing visits, in schedule order. */
const laterVisits = (visits: Visits) =>
	visits.filter((v) => v.kind !== 'dosing' && v.visit_code !== 'BL');

export async function auditedScenario(t: TestDb, now: () => Date) {
	const { c, inv, p, visits, s, reading, r, sign } = await signableSession(t, now, {
		temperature: '98.6 F',
		beforeSession: async (c, visits) => {
			await recordVisit(c, visitCoded(visits, 'BL').id, {
				status: 'completed',
				actualOn: '2026-10-01',
				deviationReason: 'test set-up'
			});
			await recordVisit(c, laterVisits(visits)[0]!.id, {
				status: 'missed',
				missedReason: 'participant unwell',
				deviationReason: 'test set-up'
			});
		}
	});
	const byCode = (code: string) => visitCoded(visits, code);
	const later = laterVisits(visits);
	await recordVitals(c, s.id, {
		timepoint: 30,
		takenAt: '10:31',
		systolic: 124,
		diastolic: 80,
		heartRate: 72,
		temperature: 36.8,
		position: 'SITTING'
	});
	await updateDosingSession(c, s.id, {
		supplemental: 'given',
		supplementalDoseMg: '60',
		supplementalAt: '2026-11-20T11:40',
		overrideReason: 'investigator judged the reading safe'
	});
	await updateDosingSession(c, s.id, {
		supplemental: 'not-given',
		supplementalNotGivenReason: 'participant declined',
		reason: 'the dose was not taken after all'
	});
	await updateDosingSession(c, s.id, { initialDoseMg: 100, reason: 'pharmacy record says 100' });
	await updateDosingSession(c, s.id, {
		endedAt: '2026-11-20T11:45',
		notDone: { '60': 'Participant asleep', '90': 'Cuff failed' }
	});
	await sign();
	await correctVitals(c, r.id, {
		...reading,
		systolic: 130,
		temperature: 37.1,
		reason: 'Transcription error'
	});
	await sign();

	const ae = await recordAdverseEvent(c, p.id, {
		verbatimTerm: 'jaw clenching',
		codedTermCode: 'VIG-0008',
		onsetAt: '2026-11-20T11:00',
		awareAt: '2026-11-20T11:05',
		severity: '1',
		criteria: noCriteria,
		relatedness: 'probable',
		expectedness: 'expected',
		actionTaken: 'dose-not-changed',
		outcome: 'recovering',
		dosingSessionId: String(s.id),
		notes: 'resolved with rest'
	});
	await correctAdverseEvent(c, ae.id, {
		verbatimTerm: 'jaw clenching',
		codedTermCode: 'VIG-0008',
		onsetAt: '2026-11-20T11:00',
		awareAt: '2026-11-20T11:05',
		endAt: '2026-11-20T13:00',
		severity: '2',
		criteria: { ...noCriteria, importantMedicalEvent: true },
		relatedness: 'probable',
		expectedness: 'expected',
		actionTaken: 'dose-not-changed',
		outcome: 'recovered',
		reason: 'severity reassessed'
	});

	const items = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [String(i + 1), 2]));
	const madrs = await recordScaleAdministration(c, p.id, {
		instrument: 'MADRS',
		visitId: String(byCode('BL').id),
		administeredAt: '2026-10-01T14:30',
		items
	});
	await correctScaleAdministration(c, madrs.id, {
		instrument: 'MADRS',
		visitId: String(later[1]!.id),
		administeredAt: '2026-10-01T14:30',
		items: { ...items, '3': 4 },
		reason: 'filed under the wrong visit'
	});
	await changeParticipantStatus(c, p.id, { status: 'withdrawn', reason: 'moved away' });
	return { c, inv, p, s, r, ae, madrs };
}
