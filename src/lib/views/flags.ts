// A flag as the review board's list shows it.
import type { FlagLevel } from '../domain/protocol/codes';

/** A flag as a list shows it (a slimmed FlagView with its site's time zone). */
export interface FlagItem {
	id: number;
	level: FlagLevel;
	status: string;
	message: string;
	participantId: number;
	subjectCode: string;
	siteCode: string;
	timeZone: string;
	sessionId: number | null;
	raisedAt: string;
	ageMinutes: number;
	escalated: boolean;
	acknowledgedAt: string | null;
	actionCategory: string | null;
	actionText: string | null;
	closedAt: string | null;
	outcome: string | null;
	autoClosed: boolean;
}
