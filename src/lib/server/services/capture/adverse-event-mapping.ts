// The three shapes of an adverse event: the parsed form input, the stored row, and the view readers
// get (plain camelCase values with the coded term's name and the reporting clocks at `now`).
// Pure: no database here.
import {
	decodeSeverity,
	encodeSeverity,
	findCodedTerm,
	isSerious,
	isRelated,
	saeClock,
	severityLabel,
	susarClock,
	type ActionTaken,
	type Expectedness,
	type Outcome,
	type ReportingClock,
	type Relatedness,
	type SeriousnessCriteria,
	type Severity
} from '../../../domain/adverse-events';
import type { AdverseEventRules } from '../../../domain/protocol';
import type { AdverseEventInput } from '../../../schemas/adverse-event';
import type { AdverseEventRow } from '../../repositories/adverse-events';

export interface ReportingClockView {
	dueAt: string;
	/** True only after dueAt. */
	overdue: boolean;
	/** dueAt − now in ms (or − the report time, once reported); negative once overdue. */
	remainingMs: number;
	/** When the report was sent; the clock stopped then. */
	reportedAt: string | null;
}

export interface SusarClockView extends ReportingClockView {
	days: number;
	reason: 'fatal-or-life-threatening' | 'other';
}

/** The values a coordinator enters (and an audit entry shows), as stored. */
export type StoredFields = {
	verbatimTerm: string;
	codedTermCode: string | null;
	onsetAt: string;
	endAt: string | null;
	awareAt: string;
	/** 'grade:3' or 'intensity:moderate': see encodeSeverity. */
	severity: string;
	criteria: SeriousnessCriteria;
	/** Derived from the criteria (ICH E2A), never entered. */
	serious: boolean;
	relatedness: Relatedness;
	expectedness: Expectedness;
	actionTaken: ActionTaken;
	outcome: Outcome;
	dosingSessionId: number | null;
	notes: string | null;
};

export interface AdverseEventView extends Omit<StoredFields, 'severity'> {
	id: number;
	participantId: number;
	subjectCode: string;
	siteId: number;
	siteCode: string;
	/** The site's IANA zone: pages show every time in it, with the zone named. */
	timeZone: string;
	/** The coded term's preferred name, when coded. */
	codedTerm: string | null;
	specialInterest: boolean;
	severity: Severity;
	severityLabel: string;
	/** Serious and not entered in error: the report to the sponsor (24 h by default). */
	saeClock: ReportingClockView | null;
	/** Serious, related and unexpected: the report to regulators (7 or 15 days). */
	susarClock: SusarClockView | null;
	enteredInError: { at: string; reason: string } | null;
	version: number;
	createdAt: string;
	updatedAt: string | null;
}

/** One serious event's SAE clock, for the investigator's board. */
export interface OpenSaeClock extends ReportingClockView {
	adverseEventId: number;
	participantId: number;
	subjectCode: string;
	siteId: number;
	siteCode: string;
	timeZone: string;
	/** The coded term's name, else the verbatim term. */
	term: string;
	awareAt: string;
	/** When the event is serious, related and unexpected: the regulators' clock too. */
	susarClock: SusarClockView | null;
}

export function storedFieldsOf(v: AdverseEventInput): StoredFields {
	return {
		verbatimTerm: v.verbatimTerm,
		codedTermCode: v.codedTermCode ?? null,
		onsetAt: v.onsetAt.toISOString(),
		endAt: v.endAt?.toISOString() ?? null,
		awareAt: v.awareAt.toISOString(),
		severity: encodeSeverity(v.severity),
		criteria: v.criteria,
		serious: isSerious(v.criteria),
		relatedness: v.relatedness,
		expectedness: v.expectedness,
		actionTaken: v.actionTaken,
		outcome: v.outcome,
		dosingSessionId: v.dosingSessionId ?? null,
		notes: v.notes ?? null
	};
}

/** Column values of the stored fields (criteria as JSON, serious as 0/1). */
export function columnsOf(f: StoredFields) {
	return {
		verbatim_term: f.verbatimTerm,
		coded_term_code: f.codedTermCode,
		onset_at: f.onsetAt,
		end_at: f.endAt,
		aware_at: f.awareAt,
		severity: f.severity,
		criteria: JSON.stringify(f.criteria),
		serious: f.serious ? 1 : 0,
		relatedness: f.relatedness,
		expectedness: f.expectedness,
		action_taken: f.actionTaken,
		outcome: f.outcome,
		dosing_session_id: f.dosingSessionId,
		notes: f.notes
	};
}

/** The row's entered values; text columns were checked against the code lists when written. */
export function storedFieldsOfRow(row: AdverseEventRow): StoredFields {
	return {
		verbatimTerm: row.verbatim_term,
		codedTermCode: row.coded_term_code,
		onsetAt: row.onset_at,
		endAt: row.end_at,
		awareAt: row.aware_at,
		severity: row.severity,
		criteria: JSON.parse(row.criteria) as SeriousnessCriteria,
		serious: row.serious === 1,
		relatedness: row.relatedness as Relatedness,
		expectedness: row.expectedness as Expectedness,
		actionTaken: row.action_taken as ActionTaken,
		outcome: row.outcome as Outcome,
		dosingSessionId: row.dosing_session_id,
		notes: row.notes
	};
}

const clockView = (c: ReportingClock, reportedAt: string | null): ReportingClockView => ({
	dueAt: c.dueAt.toISOString(),
	overdue: c.overdue,
	remainingMs: c.remainingMs,
	reportedAt
});

/**
 * Clocks run from the site's awareness, with the protocol's periods, and stop when the report is
 * sent: a report sent after the due time stays marked as late.
 */
function clocksOf(f: StoredFields, rules: AdverseEventRules, now: Date, reports: Reports) {
	if (!f.serious) return { saeClock: null, susarClock: null };
	const awareAt = new Date(f.awareAt);
	const facts = { ...f, related: isRelated(f.relatedness), awareAt };
	const saeAt = reports.sae ? new Date(reports.sae) : now;
	const susarAt = reports.susar ? new Date(reports.susar) : now;
	const susar = susarClock(facts, susarAt, rules.susarReportDays);
	return {
		saeClock: clockView(saeClock(awareAt, saeAt, rules.serious.reportWithinHours), reports.sae),
		susarClock: susar && {
			...clockView(susar, reports.susar),
			days: susar.days,
			reason: susar.reason
		}
	};
}

interface Reports {
	sae: string | null;
	susar: string | null;
}

export function toView(
	row: AdverseEventRow,
	rules: AdverseEventRules,
	now: Date
): AdverseEventView {
	const fields = storedFieldsOfRow(row);
	const term = fields.codedTermCode ? findCodedTerm(fields.codedTermCode) : undefined;
	const severity = decodeSeverity(fields.severity);
	const eie = row.entered_in_error_at;
	return {
		...fields,
		id: row.id,
		participantId: row.participant_id,
		subjectCode: row.subject_code,
		siteId: row.site_id,
		siteCode: row.site_code,
		timeZone: row.site_timezone,
		codedTerm: term?.preferredTerm ?? null,
		specialInterest: term?.specialInterest ?? false,
		severity,
		severityLabel: severityLabel(severity),
		// An event entered in error was never real: nothing is due for it.
		...(eie
			? { saeClock: null, susarClock: null }
			: clocksOf(fields, rules, now, { sae: row.sae_reported_at, susar: row.susar_reported_at })),
		enteredInError: eie ? { at: eie, reason: row.entered_in_error_reason ?? '' } : null,
		version: row.version,
		createdAt: row.created_at,
		updatedAt: row.updated_at
	};
}
