// One demo participant from enrolment on: their profile, their subject code (the next number at
// their site, in enrolment order) and their agenda of steps, run up to the simulated present.
import { dayNumber } from '../../domain/protocol';
import { createParticipant } from '../services/capture/participants';
import { Agenda, type Runner } from './agenda';
import { contextAt, type DemoEnv, type ParticipantRun } from './env';
import { drawProfile, type Enrolment } from './profile';
import { Random } from './random';
import { localMoment, MINUTE } from './site-clock';
import { planVisits } from './visits';

/** Subject codes take 3–4 digits after the site code (participant schema): 01-001 … 01-9999. */
export const MAX_PER_SITE = 9999;

async function enrol(run: ParticipantRun, at: number): Promise<void> {
	const { env, profile } = run;
	const number = env.nextNumber.get(run.site.code) ?? 1;
	if (number > MAX_PER_SITE) {
		throw new RangeError(`Site ${run.site.code} has no subject numbers left.`);
	}
	env.nextNumber.set(run.site.code, number + 1);
	const p = await createParticipant(
		contextAt(run, at),
		{ studyId: env.studyId, siteId: run.site.id },
		{
			subjectCode: `${run.site.code}-${String(number).padStart(3, '0')}`,
			sex: profile.sex,
			birthYear: profile.birthYear,
			doseGroup: profile.doseGroup,
			status: 'enrolled',
			enrolledOn: profile.enrolDay
		}
	);
	run.id = p.id;
	env.summary.participants += 1;
	env.onEnrolled();
	await planVisits(run, 0, at + MINUTE);
}

/** Runners for participants 0 … total − 1, made one at a time as the scheduler reaches them. */
export function* participantRunners(
	env: DemoEnv,
	seed: number,
	enrolment: Enrolment
): Generator<Runner> {
	for (let index = 0; index < enrolment.total; index++) {
		const rng = Random.of(seed, 'participant', index);
		const profile = drawProfile(rng, index, enrolment);
		const site = env.sites.get(profile.siteCode)!;
		const run: ParticipantRun = {
			env,
			rng,
			profile,
			site,
			agenda: new Agenda(),
			id: 0,
			firstDoseDay: null
		};
		run.agenda.add(localMoment(profile.enrolDay, profile.enrolMinute, site.timezone), (at) =>
			enrol(run, at)
		);
		yield {
			// A local morning on the enrolment day is at most 14 h before its midnight UTC (UTC+14)
			notBefore: dayNumber(profile.enrolDay) * 86_400_000 - 14 * 3_600_000,
			steps: () => run.agenda.run(env.now)
		};
	}
}
