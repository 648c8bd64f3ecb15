// A small trial with a history worth auditing: at site A1 a dosing session with a corrected
// reading, an action-level reading whose flag goes through its whole lifecycle, an adverse event
// and a signature; at site B1 another participant and reading. The clock moves on a day between
// the sites, so date filters have something to separate.
import type { ServiceContext, UserActor } from '../../src/lib/server/runtime/context';
import { recordAdverseEvent } from '../../src/lib/server/services/capture/adverse-events';
import {
	startDosingSession,
	updateDosingSession
} from '../../src/lib/server/services/capture/dosing-sessions';
import {
	acknowledgeFlag,
	closeFlag,
	listFlags,
	recordFlagAction
} from '../../src/lib/server/services/safety/flags';
import { signRecord } from '../../src/lib/server/services/signatures/signatures';
import { listVisits } from '../../src/lib/server/services/capture/visits';
import { correctVitals, recordVitals } from '../../src/lib/server/services/capture/vitals';
import { actorFor, enrolledParticipant, freshDb, PASSWORD, type TestDb } from './db';
import { noCriteria } from './fixtures';

export interface AuditFixture extends TestDb {
	coordinatorA: ServiceContext & { actor: UserActor };
	investigatorA: ServiceContext & { actor: UserActor };
	coordinatorB: ServiceContext & { actor: UserActor };
	pA: { id: number; subjectCode: string };
	pB: { id: number; subjectCode: string };
	sessionA: number;
	/** The reading corrected from systolic 128 to 130. */
	correctedReading: number;
	flagId: number;
	setClock: (iso: string) => void;
}

async function sessionFor(c: ServiceContext, participantId: number, t0: string) {
	const dosing = (await listVisits(c, participantId)).find((v) => v.kind === 'dosing')!;
	return startDosingSession(c, participantId, {
		visitId: dosing.id,
		t0,
		initialDoseMg: 120,
		deviationReason: 'test set-up'
	});
}

const baseline = { timepoint: -30, takenAt: '09:30', systolic: 122, diastolic: 80, heartRate: 70 };

async function siteAHistory(f: Pick<AuditFixture, 'coordinatorA' | 'investigatorA' | 'pA'>) {
	const c = f.coordinatorA;
	const s = await sessionFor(c, f.pA.id, '2026-11-20T10:00');
	await recordVitals(c, s.id, baseline);
	const r30 = await recordVitals(c, s.id, {
		timepoint: 30,
		takenAt: '10:30',
		systolic: 128,
		diastolic: 82
	});
	await correctVitals(c, r30.id, {
		timepoint: 30,
		takenAt: '10:30',
		systolic: 130,
		diastolic: 82,
		reason: 'Transcription error: the monitor showed 130'
	});
	await recordVitals(c, s.id, { timepoint: 60, takenAt: '11:00', systolic: 172, diastolic: 95 });
	const flag = (await listFlags(c, { sessionId: s.id, open: true })).find(
		(x) => x.ruleId === 'vitals.systolic.high.action'
	)!;
	const inv = f.investigatorA;
	await acknowledgeFlag(inv, flag.id);
	await recordFlagAction(inv, flag.id, { category: 'recheck', text: 'Rechecked: 138/84' });
	await closeFlag(inv, flag.id, { outcome: 'Settled without treatment' });
	await recordAdverseEvent(c, f.pA.id, {
		verbatimTerm: 'headache',
		codedTermCode: 'VIG-0003',
		onsetAt: '2026-11-20T11:30',
		awareAt: '2026-11-20T11:40',
		severity: '1',
		criteria: noCriteria,
		relatedness: 'possible',
		expectedness: 'expected',
		actionTaken: 'dose-not-changed',
		outcome: 'recovering'
	});
	await updateDosingSession(c, s.id, { endedAt: '2026-11-20T15:30' });
	await signRecord(inv, {
		entityType: 'dosing_session',
		entityId: s.id,
		meaning: 'reviewed',
		userId: inv.actor.email,
		password: PASSWORD
	});
	return { sessionA: s.id, correctedReading: r30.id, flagId: flag.id };
}

export async function auditFixture(file?: string): Promise<AuditFixture> {
	const t = await freshDb(file);
	let clock = Date.parse('2026-11-20T16:00:00Z');
	const now = () => new Date(clock);
	const setClock = (iso: string) => (clock = Date.parse(iso));
	const t2 = { ...t, system: { ...t.system, now } };
	const people = {
		coordinatorA: await actorFor(t2, 'coordinator', ['A1'], now),
		investigatorA: await actorFor(t2, 'investigator', ['A1'], now),
		coordinatorB: await actorFor(t2, 'coordinator', ['B1'], now),
		pA: await enrolledParticipant(t2, 'A1', '2026-10-01'),
		pB: await enrolledParticipant(t2, 'B1', '2026-10-01')
	};
	const a = await siteAHistory(people);
	setClock('2026-11-21T20:00:00Z');
	const sB = await sessionFor(people.coordinatorB, people.pB.id, '2026-11-21T10:00');
	await recordVitals(people.coordinatorB, sB.id, { ...baseline, takenAt: '09:30' });
	return { ...t2, ...people, ...a, setClock };
}
