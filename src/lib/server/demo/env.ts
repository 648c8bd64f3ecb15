// What every demo step shares: the database, the demo study and its protocol, each site with its
// coordinator (the demo writes as them), the simulated "now" of the run, and running counts.
import type { Protocol } from '../../domain/protocol';
import type { ServiceContext, UserActor } from '../runtime/context';
import type { Db } from '../db';
import type { Agenda } from './agenda';
import type { Profile } from './profile';
import type { Random } from './random';

export interface DemoSite {
	id: number;
	code: string;
	timezone: string;
	/** The site's calendar day at the simulated present. */
	today: string;
	coordinator: UserActor;
}

export interface DemoSummary {
	participants: number;
	withdrawn: number;
	completed: number;
	visitsCompleted: number;
	visitsMissed: number;
	dosingSessions: number;
	vitalReadings: number;
	unscheduledReadings: number;
	/** Readings at the action level for systolic pressure (≥ 160 mmHg in the demo protocol). */
	systolicAtAction: number;
	supplementalNotGiven: number;
	adverseEvents: number;
	seriousAdverseEvents: number;
	scaleAdministrations: number;
}

export function emptySummary(): DemoSummary {
	return {
		participants: 0,
		withdrawn: 0,
		completed: 0,
		visitsCompleted: 0,
		visitsMissed: 0,
		dosingSessions: 0,
		vitalReadings: 0,
		unscheduledReadings: 0,
		systolicAtAction: 0,
		supplementalNotGiven: 0,
		adverseEvents: 0,
		seriousAdverseEvents: 0,
		scaleAdministrations: 0
	};
}

export interface DemoEnv {
	db: Db;
	studyId: number;
	protocol: Protocol;
	sites: ReadonlyMap<string, DemoSite>;
	/** The simulated present: nothing later is written. */
	now: number;
	/** The next subject number at each site. */
	nextNumber: Map<string, number>;
	summary: DemoSummary;
	onEnrolled: () => void;
}

/** One participant's run: their stream, profile, agenda, and what is known so far. */
export interface ParticipantRun {
	env: DemoEnv;
	rng: Random;
	profile: Profile;
	site: DemoSite;
	agenda: Agenda;
	/** Set at enrolment. */
	id: number;
	/** The day of the first dosing session, once it has happened. */
	firstDoseDay: string | null;
}

/** The coordinator at the participant's site, typing at simulated instant `at`. */
export function contextAt(run: ParticipantRun, at: number): ServiceContext {
	const instant = new Date(at);
	return {
		db: run.env.db,
		actor: run.site.coordinator,
		requestId: null,
		now: () => instant
	};
}
