// Blinding guesses and the blinding-integrity view (DOMAIN-2.md §2): who guessed what, when and
// how sure; James' index for every reader, Bang's per-arm index only for a reader who may know
// arms (the unblinded pharmacist, or anyone once the study is locked); no arm for a blinded reader.
import { jamesIndex } from '../../src/lib/domain/blinding';
import { describe, expect, it } from 'vitest';
import {
	ConflictError,
	ForbiddenError,
	ValidationError
} from '../../src/lib/server/runtime/errors';
import { recordScaleAdministration } from '../../src/lib/server/services/capture/scales';
import { startDosingSession } from '../../src/lib/server/services/capture/dosing-sessions';
import { listVisits } from '../../src/lib/server/services/capture/visits';
import { lockStudy } from '../../src/lib/server/services/monitoring/freeze-lock';
import { exploreAuditTrail } from '../../src/lib/server/services/audit/audit';
import {
	guessTimepoints,
	listBlindingGuesses,
	markBlindingGuessEnteredInError,
	recordBlindingGuess
} from '../../src/lib/server/services/trial/blinding-guesses';
import { blindingIntegrity } from '../../src/lib/server/services/trial/blinding-integrity';
import { armsForUnblinded } from '../../src/lib/server/services/trial/pharmacy';
import { randomiseParticipant } from '../../src/lib/server/services/trial/randomisation';
import { emergencyUnblind } from '../../src/lib/server/services/trial/unblinding';
import { PASSWORD, actorFor, enrolledParticipant, type TestDb, freshDbEach } from '../helpers/db';

let t: TestDb;
const NOW = () => new Date('2026-11-20T18:00:00Z');
const LATER = () => new Date('2026-11-21T18:00:00Z');

freshDbEach((db) => (t = db));

type Ctx = Awaited<ReturnType<typeof actorFor>>;

async function randomised(c: Ctx): Promise<{ id: number; arm: string }> {
	const p = await enrolledParticipant(t, 'A1', '2026-10-01');
	const bl = (await listVisits(c, p.id)).find((v) => v.visit_code === 'BL')!;
	await recordScaleAdministration(c, p.id, {
		instrument: 'MADRS',
		visitId: String(bl.id),
		administeredAt: '2026-10-20T10:00',
		items: Object.fromEntries(Array.from({ length: 10 }, (_, k) => [String(k + 1), '4']))
	});
	await randomiseParticipant(c, p.id);
	const slot = await t.db
		.selectFrom('allocation_slot')
		.select('arm')
		.where('participant_id', '=', p.id)
		.executeTakeFirstOrThrow();
	return { id: p.id, arm: slot.arm };
}

async function endedSession(c: Ctx, participantId: number) {
	const ds1 = (await listVisits(c, participantId)).find((v) => v.visit_code === 'DS1')!;
	const s = await startDosingSession(c, participantId, {
		visitId: ds1.id,
		t0: '2026-11-20T09:00',
		initialDoseMg: '120',
		deviationReason: 'test set-up'
	});
	// Fixture: the session's end as the bedside screen would record it.
	await t.db
		.updateTable('dosing_session')
		.set({ ended_at: '2026-11-20T16:00:00.000Z' })
		.where('id', '=', s.id)
		.execute();
	return s;
}

const guess = (over: Record<string, string> = {}) => ({
	respondent: 'participant',
	timepoint: 'EOT',
	guess: 'active',
	confidence: 'high',
	...over
});

describe('recording a guess', () => {
	it('asks after an ended session only; one standing guess per respondent and timepoint', async () => {
		const c = await actorFor(t, 'coordinator', ['A1'], NOW);
		const p = await enrolledParticipant(t, 'A1', '2026-10-01');
		const early = await recordBlindingGuess(c, p.id, guess({ timepoint: 'DS1' })).catch(
			(e: unknown) => e
		);
		expect((early as ValidationError).fieldErrors.timepoint![0]).toMatch(/has not ended/);
		expect((await guessTimepoints(c, p.id)).map((x) => x.code)).toEqual(['EOT']);

		const s = await endedSession(c, p.id);
		expect((await guessTimepoints(c, p.id)).map((x) => x.code)).toEqual(['DS1', 'EOT']);
		const g = await recordBlindingGuess(c, p.id, guess({ timepoint: 'DS1', guess: 'dont-know' }));
		expect(g).toMatchObject({
			respondent: 'participant',
			timepoint: 'DS1',
			dosing_session_id: s.id,
			guess: 'dont-know',
			confidence: 'high',
			recorded_at: NOW().toISOString()
		});
		await recordBlindingGuess(c, p.id, guess({ timepoint: 'DS1', respondent: 'rater' }));
		const twice = await recordBlindingGuess(c, p.id, guess({ timepoint: 'DS1' })).catch(
			(e: unknown) => e
		);
		expect(twice).toBeInstanceOf(ConflictError);
		expect((twice as ConflictError).fieldErrors.timepoint![0]).toMatch(/already guessed/);

		// A wrong entry is marked entered in error with a reason; then the guess can be given again.
		const noReason = await markBlindingGuessEnteredInError(c, g.id, {}).catch((e: unknown) => e);
		expect((noReason as ValidationError).fieldErrors.reason).toBeDefined();
		await markBlindingGuessEnteredInError(c, g.id, { reason: 'Recorded against the wrong form' });
		await recordBlindingGuess(c, p.id, guess({ timepoint: 'DS1', guess: 'control' }));
		const rows = await listBlindingGuesses(c, p.id);
		expect(rows.map((r) => [r.respondent, r.guess, r.entered_in_error_at !== null])).toEqual([
			['participant', 'dont-know', true],
			['rater', 'active', false],
			['participant', 'control', false]
		]);
		const trail = (await exploreAuditTrail(await actorFor(t, 'auditor', ['A1']), { limit: 100 }))
			.events;
		expect(trail.filter((e) => e.entity_type === 'blinding_guess').map((e) => e.action)).toEqual(
			expect.arrayContaining(['blinding_guess.create', 'blinding_guess.entered_in_error'])
		);
	});

	it('refuses bad input field by field, and roles that do not enter data', async () => {
		const c = await actorFor(t, 'coordinator', ['A1'], NOW);
		const p = await enrolledParticipant(t, 'A1', '2026-10-01');
		const e = (await recordBlindingGuess(c, p.id, {
			respondent: 'nurse',
			timepoint: 'week 3',
			guess: 'MDMA',
			confidence: ''
		}).catch((x: unknown) => x)) as ValidationError;
		expect(Object.keys(e.fieldErrors).sort()).toEqual([
			'confidence',
			'guess',
			'respondent',
			'timepoint'
		]);
		const inv = await actorFor(t, 'investigator', ['A1'], NOW);
		await expect(recordBlindingGuess(inv, p.id, guess())).rejects.toBeInstanceOf(ForbiddenError);
	});
});

describe('the blinding-integrity view', () => {
	it('blinded readers get pooled guesses and James; the pharmacist and, after lock, everyone get Bang per arm', async () => {
		const c = await actorFor(t, 'coordinator', ['A1'], NOW);
		const people = [];
		for (let i = 0; i < 12; i++) people.push(await randomised(c));
		expect(new Set(people.map((p) => p.arm))).toEqual(new Set(['MDMA', 'PBO']));
		// Every participant guesses their own arm at the end of treatment; two raters guess.
		for (const p of people) {
			await recordBlindingGuess(
				c,
				p.id,
				guess({ guess: p.arm === 'MDMA' ? 'active' : 'control', confidence: 'moderate' })
			);
		}
		await recordBlindingGuess(c, people[0]!.id, guess({ respondent: 'rater' }));
		await recordBlindingGuess(c, people[1]!.id, guess({ respondent: 'rater' }));

		const inv = await actorFor(t, 'investigator', ['A1'], NOW);
		const blinded = (await blindingIntegrity(inv, t.studyId))!;
		expect(blinded.armsVisible).toBe(false);
		const participantRow = blinded.rows.find((r) => r.respondent === 'participant')!;
		const active = people.filter((p) => p.arm === 'MDMA').length;
		expect(participantRow.pooled).toEqual({
			active,
			control: 12 - active,
			dontKnow: 0,
			n: 12
		});
		// Everyone right: complete unblinding, James 0 and its upper limit under 0.5.
		expect(participantRow.james!.estimate).toBeCloseTo(0, 10);
		expect(participantRow.jamesReading).toMatch(/unblinding/);
		expect(participantRow.perArm).toBeNull();
		// Two rater guesses: too few to show a blinded reader any index.
		const raterRow = blinded.rows.find((r) => r.respondent === 'rater')!;
		expect(raterRow.james).toBeNull();
		expect(raterRow.withheld).toMatch(/fewer than 10/);
		expect(JSON.stringify(blinded)).not.toMatch(/"(table|bangActive|bangControl|arm)"|PBO/);
		await expect(armsForUnblinded(inv, t.studyId)).rejects.toBeInstanceOf(ForbiddenError);

		const pharm = await actorFor(t, 'pharmacist', ['A1'], NOW);
		const open = (await blindingIntegrity(pharm, t.studyId))!;
		expect(open.armsVisible).toBe(true);
		const row = open.rows.find((r) => r.respondent === 'participant')!;
		expect(row.perArm!.table.active).toEqual({
			guessedActive: active,
			guessedControl: 0,
			dontKnow: 0
		});
		expect(row.perArm!.bangActive!.estimate).toBe(1);
		expect(row.perArm!.bangControl!.estimate).toBe(1);
		// The unblinded reader is shown whatever can be computed, however few the guesses.
		const rater = open.rows.find((r) => r.respondent === 'rater')!;
		expect(rater.withheld).toBeNull();
		expect(rater.james).toEqual(jamesIndex(rater.perArm!.table));

		// Database lock: arms become visible to the blinded roles too (DOMAIN-2.md §8).
		const admin = await actorFor(t, 'admin', [], NOW);
		await lockStudy(admin, t.studyId, { reason: 'Database lock for the primary analysis' });
		const locked = (await blindingIntegrity(inv, t.studyId))!;
		expect(locked.armsVisible).toBe(true);
		expect(locked.rows.find((r) => r.respondent === 'participant')!.perArm).not.toBeNull();
		expect((await armsForUnblinded(inv, t.studyId)).size).toBe(12);
	});

	it('leaves out guesses made after an emergency unblinding, and unrandomised participants', async () => {
		const c = await actorFor(t, 'coordinator', ['A1'], NOW);
		const p = await randomised(c);
		const q = await randomised(c);
		const unrandomised = await enrolledParticipant(t, 'A1', '2026-10-01');
		await recordBlindingGuess(c, p.id, guess({ respondent: 'therapist' }));
		await recordBlindingGuess(c, unrandomised.id, guess());
		const inv = await actorFor(t, 'investigator', ['A1'], NOW);
		await emergencyUnblind(
			inv,
			q.id,
			{ reason: 'Suspected serotonin syndrome', confirm: 'on', password: PASSWORD },
			{ smtpUrl: undefined, from: 'x@test.example' }
		);
		const later = { ...c, now: LATER };
		await recordBlindingGuess(later, q.id, guess({ respondent: 'therapist' }));
		const view = (await blindingIntegrity(inv, t.studyId))!;
		expect(view.excluded).toEqual({ notRandomised: 1, afterUnblinding: 1 });
		expect(view.rows.map((r) => [r.respondent, r.pooled.n])).toEqual([['therapist', 1]]);
	});

	it('is scoped to the reader’s sites: another site’s guesses are not counted', async () => {
		const c = await actorFor(t, 'coordinator', ['A1'], NOW);
		const p = await randomised(c);
		await recordBlindingGuess(c, p.id, guess());
		const invB = await actorFor(t, 'investigator', ['B1'], NOW);
		expect((await blindingIntegrity(invB, t.studyId))!.rows).toEqual([]);
	});
});
