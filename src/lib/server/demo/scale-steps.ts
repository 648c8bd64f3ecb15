// The rating scales given at a visit, entered one by one after the visit is recorded: the day's
// MADRS from the participant's course, the other scales' totals from it, and item answers.
import { daysBetween, type IsoDate } from '../../domain/protocol';
import { isNumericScaleId, type ScaleId } from '../../domain/scales';
import { recordScaleAdministration } from '../services/capture/scales';
import { contextAt, type ParticipantRun } from './env';
import { cssrsAnswers, numericAnswers } from './scale-items';
import { madrsOn, suicidalThoughtsOn, totalFor } from './scores';
import { iso, MINUTE } from './site-clock';

export interface PlannedScale {
	instrument: ScaleId;
	items: Record<string, number | string | boolean>;
}

/** Answers for every scale the protocol lists at a visit on `day`, consistent with each other. */
export function scalesForVisit(
	run: ParticipantRun,
	day: IsoDate,
	instruments: readonly ScaleId[]
): PlannedScale[] {
	const days = run.firstDoseDay === null ? null : daysBetween(run.firstDoseDay, day);
	const madrs = madrsOn(run.rng, run.profile.course, days);
	const level = suicidalThoughtsOn(run.rng, madrs);
	return instruments.map((instrument) => ({
		instrument,
		items: isNumericScaleId(instrument)
			? numericAnswers(run.rng, instrument, totalFor(run.rng, instrument, madrs), level)
			: cssrsAnswers(run.rng, level)
	}));
}

/**
 * Adds a step per scale, a minute or so apart from `from`, given at `givenAt` plus 10 min each;
 * then `next` one minute after the last.
 */
export function addScaleSteps(
	run: ParticipantRun,
	s: { visitId: number; from: number; givenAt: number; scales: PlannedScale[] },
	next: (at: number) => Promise<void>
): void {
	let at = s.from;
	s.scales.forEach((scale, i) => {
		at += run.rng.uniform(0.5, 2) * MINUTE;
		run.agenda.add(at, async (now) => {
			await recordScaleAdministration(contextAt(run, now), run.id, {
				visitId: s.visitId,
				instrument: scale.instrument,
				administeredAt: iso(s.givenAt + i * 10 * MINUTE),
				items: scale.items
			});
			run.env.summary.scaleAdministrations += 1;
		});
	});
	run.agenda.add(at + MINUTE, next);
}
