// What the site overview shows of today's dosing sessions (computed by the site-overview service).
import type { FlagLevel } from '../domain/protocol/codes';

export type LevelCounts = Record<FlagLevel, number>;

export interface LateReading {
	sessionId: number;
	subjectCode: string;
	timepoint: string;
	/** HH:mm at the site. */
	scheduledAt: string;
	minutesLate: number;
}

export interface SessionState {
	id: number;
	participantId: number;
	subjectCode: string;
	number: number;
	/** YYYY-MM-DD HH:mm at the site. */
	t0: string;
	state: 'running' | 'ended';
	/** Scheduled readings taken, and those whose time has come (taken, due now or late). */
	done: number;
	due: number;
	late: number;
	flags: LevelCounts;
}

export interface OverdueVisitRow {
	visitId: number;
	participantId: number;
	subjectCode: string;
	label: string;
	plannedOn: string | null;
	windowEnd: string | null;
}

export interface SaeClockRow {
	adverseEventId: number;
	participantId: number;
	subjectCode: string;
	term: string;
	/** YYYY-MM-DD HH:mm at the site. */
	awareAt: string;
	dueAt: string;
	overdue: boolean;
}
