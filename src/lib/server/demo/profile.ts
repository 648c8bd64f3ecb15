// Who a demo participant is, drawn once from their own random stream: site, sex, age, dose group,
// enrolment day, resting vitals, course of depression, and whether they will withdraw.
import { addDays, type IsoDate } from '../../domain/protocol';
import type { Random } from './random';
import { drawCourse, type Course } from './scores';
import { weekdayOnOrBefore } from './site-clock';
import { drawRestingVitals, type Vitals } from './vitals-curve';

export interface Profile {
	siteCode: string;
	sex: 'F' | 'M';
	birthYear: number;
	doseGroup: '120 mg' | '80 mg';
	initialDoseMg: 120 | 80;
	/** Enrolment day; never earlier than the previous participant's (they enrol in order). */
	enrolDay: IsoDate;
	/** Local clock time of enrolment, minutes after midnight. */
	enrolMinute: number;
	resting: Vitals;
	course: Course;
	/** The index (protocol order) of the visit the participant withdraws at, or null. */
	withdrawAtVisit: number | null;
}

export interface Enrolment {
	/** The first day enrolment may fall on. */
	firstDay: IsoDate;
	/** Days over which the participants' enrolment is spread. */
	spanDays: number;
	total: number;
	siteCodes: readonly string[];
	visitCount: number;
}

export function drawProfile(rng: Random, index: number, e: Enrolment): Profile {
	// Evenly spread with jitter, so day order follows participant order (kept for streaming)
	const offset = Math.floor((e.spanDays * (index + rng.next())) / e.total);
	const enrolDay = weekdayOnOrBefore(addDays(e.firstDay, offset));
	const age = rng.int(21, 70); // adults 21–70 (demo brief)
	const lowDose = rng.chance(0.15); // dose group mostly 120 mg, some 80 mg (DOMAIN.md §1)
	return {
		// The first site recruits a little faster [D]
		siteCode:
			e.siteCodes.length === 2
				? rng.chance(0.55)
					? e.siteCodes[0]!
					: e.siteCodes[1]!
				: rng.pick(e.siteCodes),
		// Depression trials enrol more women than men [D]
		sex: rng.chance(0.58) ? 'F' : 'M',
		birthYear: Number(enrolDay.slice(0, 4)) - age,
		doseGroup: lowDose ? '80 mg' : '120 mg',
		initialDoseMg: lowDose ? 80 : 120,
		enrolDay,
		enrolMinute: rng.int(8 * 12 + 6, 11 * 12) * 5, // 08:30–11:00 local
		resting: drawRestingVitals(rng),
		course: drawCourse(rng),
		// About 7 % withdraw, between the first preparatory visit and the last follow-ups [D]
		withdrawAtVisit: rng.chance(0.07) ? rng.int(2, Math.max(2, e.visitCount - 2)) : null
	};
}

/** Why a participant withdrew, in the site's words [D]. */
export function withdrawalReason(rng: Random, dosed: boolean): string {
	return dosed
		? rng.pick([
				'Did not wish to continue after the first dosing session.',
				'Moved away from the study area.',
				'Lost to follow-up: no answer to three contact attempts.',
				'Started a new antidepressant (prohibited medication).'
			])
		: rng.pick([
				'Withdrew consent before dosing.',
				'Started a prohibited medication before the first dosing session.',
				'Could not commit to the overnight stays.'
			]);
}

/** Why a visit was missed [D]. */
export function missedReason(rng: Random): string {
	return rng.pick([
		'Participant unwell (respiratory infection); could not attend within the window.',
		'Participant travelling; could not attend within the window.',
		'Participant could not be reached.',
		'Clinic closed (staff shortage); no slot within the window.',
		'Participant forgot the appointment; window passed.'
	]);
}
