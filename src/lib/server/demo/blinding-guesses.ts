// Demo blinding guesses (issue 14): after each ended dosing session the participant and the rater
// guess the arm, and completed participants guess once more at the end of treatment. Guessing is
// functionally unblinded as in the MAPS phase 3 trials (DOMAIN-2.md §2: ~90 % of MDMA and ~75 %
// of placebo participants guessed right), less so for raters, so the blinding page has a story.
// Written through the guess service as the operator, with the clock at each guess's time.
import type { Db } from '../db';
import type { Participant } from '../db/schema';
import * as sessionsRepo from '../repositories/dosing-sessions';
import { systemContext } from '../runtime/context';
import { recordBlindingGuess } from '../services/trial/blinding-guesses';
import { concealedArms } from '../services/trial/pharmacy';
import { Random } from './random';

type Guess = 'active' | 'control' | 'dont-know';
const WEIGHTS: Record<
	'participant' | 'rater',
	Record<'active' | 'control', Array<[Guess, number]>>
> = {
	participant: {
		active: [
			['active', 85],
			['control', 5],
			['dont-know', 10]
		],
		control: [
			['control', 65],
			['active', 15],
			['dont-know', 20]
		]
	},
	rater: {
		active: [
			['active', 65],
			['control', 15],
			['dont-know', 20]
		],
		control: [
			['control', 45],
			['active', 25],
			['dont-know', 30]
		]
	}
};

export async function seedDemoGuesses(
	db: Db,
	studyId: number,
	participants: Participant[],
	firstArm: string,
	now: Date
): Promise<number> {
	const arms = await concealedArms(systemContext(db, 'demo'), studyId);
	let count = 0;
	for (const p of participants) {
		const arm = arms.get(p.id);
		if (!arm) continue;
		const actual = arm === firstArm ? 'active' : 'control';
		const random = Random.of('demo-guesses', p.subject_code);
		const sessions = (await sessionsRepo.listSessionsOfParticipant(db, p.id)).filter(
			(s) => s.ended_at && !s.entered_in_error_at
		);
		const asks: Array<{ timepoint: string; at: Date }> = sessions.map((s) => ({
			timepoint: `DS${s.session_number}`,
			at: new Date(Date.parse(s.ended_at!) + 2 * 3600_000)
		}));
		const last = sessions.at(-1);
		if (p.status === 'completed' && last) {
			asks.push({ timepoint: 'EOT', at: new Date(Date.parse(last.ended_at!) + 28 * 86_400_000) });
		}
		for (const ask of asks.filter((a) => a.at < now)) {
			for (const respondent of ['participant', 'rater'] as const) {
				const ctx = systemContext(db, 'demo', () => ask.at);
				const saved = await recordBlindingGuess(ctx, p.id, {
					respondent,
					timepoint: ask.timepoint,
					guess: random.weighted(WEIGHTS[respondent][actual]),
					confidence: random.pick(['low', 'moderate', 'high'])
				}).then(
					() => true,
					() => false // a frozen casebook, say: left without, as at a real site
				);
				if (saved) count++;
			}
		}
	}
	return count;
}
