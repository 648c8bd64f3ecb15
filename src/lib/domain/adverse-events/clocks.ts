/**
 * Expedited-reporting clocks. Deadlines are elapsed time from awareness (not wall-clock days), so
 * a daylight-saving change never moves a deadline by an hour. The periods are protocol settings
 * with regulatory defaults.
 */
import type { Expectedness } from './causality';
import type { SeriousnessCriteria } from './seriousness';

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

/** SAE to the sponsor within 24 h of the site's awareness: EU CTR (536/2014) art. 41(2). */
export const defaultSaeReportingHours = 24;

/** SUSAR to regulators: EU CTR art. 42(2); ICH E2A §III.A.2 (7 days fatal/life-threatening). */
export const defaultSusarReportingDays = { fatalOrLifeThreatening: 7, other: 15 } as const;
export type SusarReportingDays = { fatalOrLifeThreatening: number; other: number };

export interface ReportingClock {
	dueAt: Date;
	/** True only after the due instant: a report made at dueAt exactly is on time. */
	overdue: boolean;
	/** dueAt − now; zero at the due instant, negative (by how much overdue) after it. */
	remainingMs: number;
}

function clock(awareAt: Date, periodMs: number, now: Date): ReportingClock {
	const dueAt = new Date(awareAt.getTime() + periodMs);
	const remainingMs = dueAt.getTime() - now.getTime();
	return { dueAt, overdue: remainingMs < 0, remainingMs };
}

/** The SAE clock: due awareAt + 24 h (or the protocol's hours). */
export function saeClock(
	awareAt: Date,
	now: Date,
	reportingHours: number = defaultSaeReportingHours
): ReportingClock {
	return clock(awareAt, reportingHours * hourMs, now);
}

export interface SusarFacts {
	serious: boolean;
	/** Binary causality: see isRelated in causality.ts. */
	related: boolean;
	expectedness: Expectedness;
	criteria: Pick<SeriousnessCriteria, 'death' | 'lifeThreatening'>;
	/**
	 * When the site learned of it. Regulators count from the sponsor's first knowledge; the site's
	 * awareness is the earliest that can be, so the site sees the tightest deadline.
	 */
	awareAt: Date;
}

export interface SusarClock extends ReportingClock {
	days: number;
	reason: 'fatal-or-life-threatening' | 'other';
}

/** True when the facts make a SUSAR: serious AND related AND unexpected. */
export function isSusar(facts: Omit<SusarFacts, 'awareAt'>): boolean {
	// Death and life-threatening are serious criteria, so either makes the event serious.
	const serious = facts.serious || facts.criteria.death || facts.criteria.lifeThreatening;
	return serious && facts.related && facts.expectedness === 'unexpected';
}

/** The SUSAR clock, or null when the event is not a SUSAR. */
export function susarClock(
	facts: SusarFacts,
	now: Date,
	reportingDays: SusarReportingDays = defaultSusarReportingDays
): SusarClock | null {
	if (!isSusar(facts)) return null;
	const urgent = facts.criteria.death || facts.criteria.lifeThreatening;
	const days = urgent ? reportingDays.fatalOrLifeThreatening : reportingDays.other;
	return {
		...clock(facts.awareAt, days * dayMs, now),
		days,
		reason: urgent ? 'fatal-or-life-threatening' : 'other'
	};
}
