// A caller without access to a record learns nothing about it: whatever it sends, the answer is
// "not found" (another site) or "forbidden" (a read-only role), never a field error, which would
// say the record exists and what it expects.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	ForbiddenError,
	NotFoundError,
	ValidationError
} from '../../src/lib/server/runtime/errors';
import { changeParticipantStatus } from '../../src/lib/server/services/capture/participants';
import { updateDosingSession } from '../../src/lib/server/services/capture/dosing-sessions';
import {
	correctVitals,
	recordVitals,
	recordVitalsBatch
} from '../../src/lib/server/services/capture/vitals';
import { listVisits, recordVisit } from '../../src/lib/server/services/capture/visits';
import { closeFlag, listFlags, recordFlagAction } from '../../src/lib/server/services/safety/flags';
import { raiseQuery, queryStep } from '../../src/lib/server/services/monitoring/queries';
import { listDeviations, reviewDeviation } from '../../src/lib/server/services/protocol/deviations';
import { freezeCasebook } from '../../src/lib/server/services/monitoring/freeze-lock';
import {
	correctConmed,
	markConmedEnteredInError,
	recordConmed
} from '../../src/lib/server/services/trial/conmeds';
import {
	addFormVersion,
	recordConsent,
	withdrawConsent
} from '../../src/lib/server/services/trial/consent';
import {
	markBlindingGuessEnteredInError,
	recordBlindingGuess
} from '../../src/lib/server/services/trial/blinding-guesses';
import { markDosingSessionEnteredInError } from '../../src/lib/server/services/capture/dosing-sessions';
import { markVitalsEnteredInError } from '../../src/lib/server/services/capture/vitals';
import { markDeviationEnteredInError } from '../../src/lib/server/services/protocol/deviations';
import { actorFor, freshDb, runningSession, type TestDb } from '../helpers/db';

let t: TestDb;
let ids: {
	participant: number;
	session: number;
	reading: number;
	visit: number;
	flag: number;
	query: number;
	deviation: number;
	conmed: number;
	consent: number;
	guess: number;
};
beforeAll(async () => {
	t = await freshDb();
	const { coordinator: c, participant, session } = await runningSession(t);
	const reading = await recordVitals(c, session.id, {
		timepoint: 30,
		takenAt: '10:30',
		systolic: 185,
		diastolic: 95,
		confirmed: true
	});
	const flag = (await listFlags(c, { participantId: participant.id }))[0]!;
	const visit = (await listVisits(c, participant.id)).find((v) => v.kind !== 'dosing')!;
	const monitor = await actorFor(t, 'monitor', ['A1']);
	const query = await raiseQuery(monitor, {
		entityType: 'vital_reading',
		entityId: reading.id,
		field: 'systolic',
		text: 'Source says 158; please check.'
	});
	const deviation = (await listDeviations(c, { participantId: participant.id }))[0]!;
	const conmed = await recordConmed(c, participant.id, {
		name: 'Zoloft 50 mg',
		dose: '50',
		doseUnit: 'mg',
		frequency: 'QD',
		route: 'ORAL',
		indication: 'Depression',
		start: '2024-03'
	});
	const admin = await actorFor(t, 'admin', []);
	const version = await addFormVersion(admin, t.studyId, {
		label: '1.0',
		approvedOn: '2026-08-01',
		activeFrom: '2026-08-01',
		reconsentRequired: false
	});
	const consent = await recordConsent(c, participant.id, {
		formVersionId: version.id,
		signedAt: '2026-10-01T08:30',
		signer: 'participant',
		obtainedByName: 'Dr Ines Investigator'
	});
	const guess = await recordBlindingGuess(c, participant.id, {
		respondent: 'participant',
		timepoint: 'EOT',
		guess: 'dont-know',
		confidence: 'low'
	});
	ids = {
		consent: consent.id,
		guess: guess.id,
		participant: participant.id,
		session: session.id,
		reading: reading.id,
		visit: visit.id,
		flag: flag.id,
		query: query.id,
		deviation: deviation.id,
		conmed: conmed.id
	};
});
afterAll(async () => {
	await t.db.destroy();
});

/** The `reason` an entered-in-error door reads from its body. */
const reasonOf = (input: unknown) => ({
	reason: (input as { reason?: unknown } | null)?.reason
});

/** Inputs no schema accepts. */
const BAD = [{}, { bogus: 1 }, null, 'text', { systolic: 'x', status: 'nonsense', reason: 7 }];

const writes: Array<
	[string, (ctx: Parameters<typeof recordVitals>[0], input: unknown) => Promise<unknown>]
> = [
	['record a reading', (c, i) => recordVitals(c, ids.session, i)],
	['send a monitor batch', (c, i) => recordVitalsBatch(c, ids.session, i)],
	['correct a reading', (c, i) => correctVitals(c, ids.reading, i)],
	['record a visit', (c, i) => recordVisit(c, ids.visit, i)],
	['change a participant’s status', (c, i) => changeParticipantStatus(c, ids.participant, i)],
	['update a dosing session', (c, i) => updateDosingSession(c, ids.session, i)],
	['act on a flag', (c, i) => recordFlagAction(c, ids.flag, i)],
	['close a flag', (c, i) => closeFlag(c, ids.flag, i)],
	['answer a query', (c, i) => queryStep(c, ids.query, 'answer', i)],
	['review a deviation', (c, i) => reviewDeviation(c, ids.deviation, i)],
	['freeze a casebook', (c, i) => freezeCasebook(c, ids.participant, i)],
	['record a medication', (c, i) => recordConmed(c, ids.participant, i)],
	['correct a medication', (c, i) => correctConmed(c, ids.conmed, i)],
	['record consent', (c, i) => recordConsent(c, ids.participant, i)],
	['withdraw consent', (c, i) => withdrawConsent(c, ids.consent, i)],
	['record a blinding guess', (c, i) => recordBlindingGuess(c, ids.participant, i)],
	// Entered in error: the reason is the input.
	['withdraw a reading', (c, i) => markVitalsEnteredInError(c, ids.reading, reasonOf(i))],
	['withdraw a session', (c, i) => markDosingSessionEnteredInError(c, ids.session, reasonOf(i))],
	['withdraw a deviation', (c, i) => markDeviationEnteredInError(c, ids.deviation, reasonOf(i))],
	['withdraw a guess', (c, i) => markBlindingGuessEnteredInError(c, ids.guess, reasonOf(i))],
	['withdraw a medication', (c, i) => markConmedEnteredInError(c, ids.conmed, reasonOf(i))]
];

async function refusal(p: Promise<unknown>): Promise<unknown> {
	try {
		await p;
	} catch (e) {
		return e;
	}
	return undefined;
}

describe('another site’s staff', () => {
	it.each(writes)('%s: not found (or not for this role), whatever the input', async (_, write) => {
		for (const role of ['coordinator', 'investigator'] as const) {
			const elsewhere = await actorFor(t, role, ['B1']);
			for (const input of BAD) {
				const e = await refusal(write(elsewhere, input));
				// A role that may never do this is refused as such; one that may, elsewhere, is told
				// the record is not found. Neither hears about the input.
				const refused = e instanceof NotFoundError || e instanceof ForbiddenError;
				expect(refused, `${role} ${JSON.stringify(input)}: ${String(e)}`).toBe(true);
				if (e instanceof ForbiddenError) expect(String(e.message)).not.toMatch(/site/i);
			}
		}
	});
});

describe('a read-only role at the site', () => {
	it.each(writes)('%s: forbidden, whatever the input', async (_, write) => {
		const auditor = await actorFor(t, 'auditor', ['A1']);
		for (const input of BAD) {
			const e = await refusal(write(auditor, input));
			expect(e, JSON.stringify(input)).toBeInstanceOf(ForbiddenError);
		}
	});
});

describe('staff with access', () => {
	it('get field errors for the same inputs (so the refusals above are about access)', async () => {
		const c = await actorFor(t, 'coordinator', ['A1']);
		const e = await refusal(recordVitals(c, ids.session, { bogus: 1 }));
		expect(e).toBeInstanceOf(ValidationError);
		const e2 = await refusal(changeParticipantStatus(c, ids.participant, { status: 'nonsense' }));
		expect(e2).toBeInstanceOf(ValidationError);
	});
});
