import { FLAG_LEVELS, SCALE_ITEM_COUNTS, VITAL_MEASURES, VITAL_UNITS } from './codes';
import { describeComparison } from './comparison';
import type { Report } from './report';
import { changeRuleId, scaleItemRuleId } from './rule-ids';
import type { MeasureBands } from './schema-vitals-rules';
import type { SafetyRules } from './schema-rules';

const VITALS = ['safetyRules', 'vitals'] as const;

/** High side: notify < action < urgent. Low side: notify > action > urgent, below high notify. */
function checkBands(measure: string, bands: MeasureBands, unit: string, report: Report): void {
	const { high, low } = bands;
	const show = (c: Parameters<typeof describeComparison>[0]) => describeComparison(c, unit);
	if (high.action.value <= high.notify.value) {
		report(
			[...VITALS, measure, 'high', 'action', 'value'],
			`The action threshold (${show(high.action)}) must be above notify (${show(high.notify)}).`
		);
	}
	if (high.urgent.value <= high.action.value) {
		report(
			[...VITALS, measure, 'high', 'urgent', 'value'],
			`The urgent threshold (${show(high.urgent)}) must be above action (${show(high.action)}).`
		);
	}
	if (low.notify.value >= high.notify.value) {
		report(
			[...VITALS, measure, 'low', 'notify', 'value'],
			`The low threshold (${show(low.notify)}) must be below the high one (${show(high.notify)}).`
		);
	}
	if (low.action && low.action.value >= low.notify.value) {
		report(
			[...VITALS, measure, 'low', 'action', 'value'],
			`The low action threshold (${show(low.action)}) must be below notify (${show(low.notify)}).`
		);
	}
	const lowAbove = low.action ?? low.notify;
	if (low.urgent && low.urgent.value >= lowAbove.value) {
		report(
			[...VITALS, measure, 'low', 'urgent', 'value'],
			`The low urgent threshold (${show(low.urgent)}) must be below ${show(lowAbove)}.`
		);
	}
}

/** Two entries of a rule list must not have the same rule id. */
function checkUniqueIds(ids: string[], at: string, report: Report): void {
	ids.forEach((id, i) => {
		if (ids.indexOf(id) !== i) report(['safetyRules', at, i], `Rule ${id} is defined twice.`);
	});
}

function checkScaleItems(rules: SafetyRules, report: Report): void {
	rules.scaleItems.forEach((rule, i) => {
		const count = SCALE_ITEM_COUNTS[rule.scale];
		if (rule.item > count) {
			report(['safetyRules', 'scaleItems', i, 'item'], `${rule.scale} has items 1 to ${count}.`);
		}
	});
	checkUniqueIds(rules.scaleItems.map(scaleItemRuleId), 'scaleItems', report);
	const types = rules.cssrs.ideation.types;
	types.forEach((t, j) => {
		if (types.indexOf(t) !== j) {
			report(['safetyRules', 'cssrs', 'ideation', 'types', j], `Type ${t} is listed twice.`);
		}
	});
}

export function checkSafetyRules(rules: SafetyRules, report: Report): void {
	for (const measure of VITAL_MEASURES) {
		checkBands(measure, rules.vitals[measure], VITAL_UNITS[measure], report);
	}
	checkUniqueIds(rules.vitalsChange.map(changeRuleId), 'vitalsChange', report);
	checkScaleItems(rules, report);
	const { triggerLevel, level } = rules.sustained;
	if (FLAG_LEVELS.indexOf(level) <= FLAG_LEVELS.indexOf(triggerLevel)) {
		report(
			['safetyRules', 'sustained', 'level'],
			`A sustained ${triggerLevel} value must raise a higher level than ${triggerLevel}.`
		);
	}
}
