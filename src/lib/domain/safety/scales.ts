// Scale rules: suicidality items, C-SSRS ideation and behaviour, and worsening of the primary
// scale against the participant's baseline.
import {
	compare,
	RULE_IDS,
	scaleItemRuleId,
	type FlagLevel,
	type SafetyRules,
	type ScaleId
} from '../protocol';
import { percentChangeFromBaseline } from '../scales';
import { toMillis } from '../vitals';
import { levelRank, sortCandidates, type FlagCandidate } from './types';
import { SCALE_MESSAGES, SUICIDALITY_MESSAGES, withInstruction } from './words';

export interface AdministrationFacts {
	id: number;
	instrument: ScaleId;
	/** Item scores by item number (numeric scales); C-SSRS answers by key. */
	itemScores: Readonly<Record<string, number | null | undefined>>;
	cssrs?: {
		ideationTypesYes: readonly number[];
		behaviour: boolean;
		behaviours: readonly string[];
	};
}

function itemFlags(a: AdministrationFacts, rules: SafetyRules): FlagCandidate[] {
	// For one item, only the most severe rule met raises a flag (MADRS 10 = 5 is urgent, not also notify).
	const best = new Map<number, { level: FlagLevel; candidate: FlagCandidate }>();
	for (const rule of rules.scaleItems) {
		if (rule.scale !== a.instrument) continue;
		const score = a.itemScores[String(rule.item)];
		if (score === null || score === undefined || !compare(score, rule.score)) continue;
		const ruleId = scaleItemRuleId(rule);
		const previous = best.get(rule.item);
		if (previous && levelRank(previous.level) >= levelRank(rule.level)) continue;
		best.set(rule.item, {
			level: rule.level,
			candidate: {
				ruleId,
				level: rule.level,
				sourceType: 'scale_administration',
				sourceId: a.id,
				key: `${ruleId}|scale_administration:${a.id}`,
				values: {
					instrument: a.instrument,
					item: rule.item,
					score,
					threshold: `${rule.score.op} ${rule.score.value}`
				},
				message: withInstruction(
					`${a.instrument} item ${rule.item} scored ${score} (${rule.score.op.replace('>=', '≥').replace('<=', '≤')} ${rule.score.value})`,
					rule.level,
					SUICIDALITY_MESSAGES
				)
			}
		});
	}
	return [...best.values()].map((b) => b.candidate);
}

function cssrsFlags(a: AdministrationFacts, rules: SafetyRules): FlagCandidate[] {
	if (a.instrument !== 'CSSRS' || !a.cssrs) return [];
	const out: FlagCandidate[] = [];
	const { ideation, behaviour } = rules.cssrs;
	const types = a.cssrs.ideationTypesYes.filter((t) => ideation.types.includes(t));
	if (ideation.enabled && types.length > 0) {
		out.push({
			ruleId: RULE_IDS.cssrsIdeation,
			level: ideation.level,
			sourceType: 'scale_administration',
			sourceId: a.id,
			key: `${RULE_IDS.cssrsIdeation}|scale_administration:${a.id}`,
			values: { ideationTypes: types.join(', ') },
			message: withInstruction(
				`C-SSRS suicidal ideation type ${types.join(' and ')} answered yes`,
				ideation.level,
				SUICIDALITY_MESSAGES
			)
		});
	}
	if (behaviour.enabled && a.cssrs.behaviour) {
		out.push({
			ruleId: RULE_IDS.cssrsBehaviour,
			level: behaviour.level,
			sourceType: 'scale_administration',
			sourceId: a.id,
			key: `${RULE_IDS.cssrsBehaviour}|scale_administration:${a.id}`,
			values: { behaviours: a.cssrs.behaviours.join(', ') },
			message: withInstruction(
				`C-SSRS suicidal behaviour reported (${a.cssrs.behaviours.join(', ')})`,
				behaviour.level,
				SUICIDALITY_MESSAGES
			)
		});
	}
	return out;
}

export function evaluateAdministration(
	a: AdministrationFacts,
	rules: SafetyRules
): FlagCandidate[] {
	return sortCandidates([...itemFlags(a, rules), ...cssrsFlags(a, rules)]);
}

export interface SeriesPoint {
	administrationId: number;
	at: string;
	total: number;
}

/**
 * Worsening: the primary scale's total at least x % above the baseline at n consecutive
 * administrations after the first dose; the flag sits on the one that completes the run.
 * `points` are complete, in-effect administrations after the first dose.
 */
export function evaluateWorsening(
	instrument: ScaleId,
	baseline: number | null,
	points: readonly SeriesPoint[],
	rules: SafetyRules
): FlagCandidate[] {
	const rule = rules.worsening;
	if (!rule.enabled || baseline === null || baseline === 0) return [];
	// By the instant, not the text: "09:00+02:00" is before "08:00Z".
	const ordered = [...points].sort(
		(a, b) => toMillis(a.at) - toMillis(b.at) || a.administrationId - b.administrationId
	);
	const out: FlagCandidate[] = [];
	let run = 0;
	for (const p of ordered) {
		const exact = percentChangeFromBaseline(baseline, p.total);
		// Rounded before comparing: 57 / 100 × 100 is 56.99999999999999 in floating point.
		const percent = exact === null ? null : Math.round(exact * 1000) / 1000;
		run = percent !== null && compare(percent, rule.percentAboveBaseline) ? run + 1 : 0;
		if (run !== rule.consecutiveVisits) continue;
		out.push({
			ruleId: RULE_IDS.worsening,
			level: rule.level,
			sourceType: 'scale_administration',
			sourceId: p.administrationId,
			key: `${RULE_IDS.worsening}|scale_administration:${p.administrationId}`,
			values: {
				instrument,
				baseline,
				total: p.total,
				percent: Math.round((percent ?? 0) * 10) / 10
			},
			message: withInstruction(
				`${instrument} ${p.total} is ${Math.round(percent ?? 0)} % above the baseline of ${baseline} at ${rule.consecutiveVisits} visits in a row`,
				rule.level,
				SCALE_MESSAGES
			)
		});
	}
	return sortCandidates(out);
}
