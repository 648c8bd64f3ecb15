// Adverse-event rules: serious (with its 24-hour clock), severe, and of special interest.
import { compare, RULE_IDS, type SafetyRules } from '../protocol';
import { sortCandidates, type FlagCandidate } from './types';
import { ADVERSE_EVENT_MESSAGES, withInstruction } from './words';

export interface AdverseEventFacts {
	id: number;
	term: string;
	/** The coded term's preferred name, when coded. */
	codedTerm: string | null;
	serious: boolean;
	/** CTCAE grade 1–5, or mild = 1, moderate = 2, severe = 3 (the protocol's rule compares it). */
	grade: number;
	/** The coded term is flagged as of special interest in the bundled list. */
	specialInterest: boolean;
}

const lower = (s: string) => s.trim().toLowerCase();

export function evaluateAdverseEvent(ae: AdverseEventFacts, rules: SafetyRules): FlagCandidate[] {
	const r = rules.adverseEvents;
	const out: FlagCandidate[] = [];
	const base = { sourceType: 'adverse_event' as const, sourceId: ae.id };
	const name = ae.codedTerm ?? ae.term;
	if (r.serious.enabled && ae.serious) {
		out.push({
			...base,
			ruleId: RULE_IDS.aeSerious,
			level: r.serious.level,
			key: `${RULE_IDS.aeSerious}|adverse_event:${ae.id}`,
			values: { term: name, reportWithinHours: r.serious.reportWithinHours },
			message: withInstruction(
				`Serious adverse event: ${name}; report within ${r.serious.reportWithinHours} hours of awareness`,
				r.serious.level,
				ADVERSE_EVENT_MESSAGES
			)
		});
	}
	if (r.severity.enabled && compare(ae.grade, r.severity.grade)) {
		out.push({
			...base,
			ruleId: RULE_IDS.aeSeverity,
			level: r.severity.level,
			key: `${RULE_IDS.aeSeverity}|adverse_event:${ae.id}`,
			values: { term: name, grade: ae.grade },
			message: withInstruction(
				`Adverse event ${name} of grade ${ae.grade}`,
				r.severity.level,
				ADVERSE_EVENT_MESSAGES
			)
		});
	}
	const listed = r.specialInterest.terms.some(
		(t) => lower(t) === lower(name) || lower(t) === lower(ae.term)
	);
	if (r.specialInterest.enabled && (ae.specialInterest || listed)) {
		out.push({
			...base,
			ruleId: RULE_IDS.aeSpecialInterest,
			level: r.specialInterest.level,
			key: `${RULE_IDS.aeSpecialInterest}|adverse_event:${ae.id}`,
			values: { term: name },
			message: withInstruction(
				`Adverse event of special interest: ${name}`,
				r.specialInterest.level,
				ADVERSE_EVENT_MESSAGES
			)
		});
	}
	return sortCandidates(out);
}
