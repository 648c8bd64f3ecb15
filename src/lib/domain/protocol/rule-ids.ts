import { FLAG_LEVELS, VITAL_MEASURES } from './codes';
import type { FlagLevel, VitalMeasure } from './codes';
import type { Protocol } from './schema';
import type { ChangeRule } from './schema-vitals-rules';
import type { ScaleItemRule } from './schema-rules';

// Every flag records the protocol version and the id of the rule that raised it. Ids are derived
// from where a rule sits and what it watches, never typed by hand, so the same rule keeps the same
// id from one protocol version to the next.

/** Rules that a protocol has exactly one of. */
export const RULE_IDS = {
	sustained: 'vitals.sustained',
	missedReading: 'vitals.missed-reading',
	supplementalGate: 'dose.supplemental-gate',
	cssrsIdeation: 'cssrs.ideation',
	cssrsBehaviour: 'cssrs.behaviour',
	worsening: 'scale.worsening',
	aeSerious: 'ae.serious',
	aeSeverity: 'ae.severity',
	aeSpecialInterest: 'ae.special-interest',
	escalation: 'flag.escalation'
} as const;
export type FixedRuleId = (typeof RULE_IDS)[keyof typeof RULE_IDS];

/** "vitals.systolic.high.action", "vitals.temperature.low.notify" */
export function bandRuleId(measure: VitalMeasure, side: 'high' | 'low', level: FlagLevel): string {
	return `vitals.${measure}.${side}.${level}`;
}

/** "vitals-change.systolic.absolute.rise.action"; a rule written with < or <= is a fall. */
export function changeRuleId(rule: ChangeRule): string {
	const direction = rule.change.op === '<' || rule.change.op === '<=' ? 'fall' : 'rise';
	return `vitals-change.${rule.measure}.${rule.basis}.${direction}.${rule.level}`;
}

/** "scale.MADRS.item10.urgent" */
export function scaleItemRuleId(rule: ScaleItemRule): string {
	return `scale.${rule.scale}.item${rule.item}.${rule.level}`;
}

/** Every rule id the protocol defines, in a stable order. */
export function ruleIdsOf(protocol: Protocol): string[] {
	const rules = protocol.safetyRules;
	const ids: string[] = [];
	for (const measure of VITAL_MEASURES) {
		const low = rules.vitals[measure].low;
		for (const level of FLAG_LEVELS) ids.push(bandRuleId(measure, 'high', level));
		for (const level of FLAG_LEVELS) if (low[level]) ids.push(bandRuleId(measure, 'low', level));
	}
	ids.push(...rules.vitalsChange.map(changeRuleId));
	ids.push(...rules.scaleItems.map(scaleItemRuleId));
	ids.push(...Object.values(RULE_IDS));
	return ids;
}
