// Two protocol versions side by side: how many flags each rule raises under each on the same data,
// and the thresholds of the vital-sign bands as people write them. Pure.
import {
	describeComparison,
	FLAG_LEVELS,
	VITAL_LABELS,
	VITAL_MEASURES,
	VITAL_UNITS,
	type FlagLevel,
	type Protocol,
	type VitalMeasure
} from '../../../domain/protocol';
import type { FlagCandidate } from '../../../domain/safety';

export interface RuleCount {
	ruleId: string;
	active: number;
	candidate: number;
	/** candidate − active */
	difference: number;
}

export type LevelTotals = Record<FlagLevel, number>;

export interface FlagExample {
	ruleId: string;
	level: FlagLevel;
	message: string;
}

export interface FlagComparison {
	rules: RuleCount[];
	totals: { active: LevelTotals; candidate: LevelTotals };
	/** Flags only one version raises: how many, and the first few in words. */
	onlyActive: { count: number; examples: FlagExample[] };
	onlyCandidate: { count: number; examples: FlagExample[] };
}

function countBy(flags: readonly FlagCandidate[]): Map<string, number> {
	const out = new Map<string, number>();
	for (const f of flags) out.set(f.ruleId, (out.get(f.ruleId) ?? 0) + 1);
	return out;
}

function totalsOf(flags: readonly FlagCandidate[]): LevelTotals {
	const out: LevelTotals = { notify: 0, action: 0, urgent: 0 };
	for (const f of flags) out[f.level] += 1;
	return out;
}

/** The same condition at the same level: a flag that moves from notify to action differs. */
const identity = (f: FlagCandidate) => `${f.key}|${f.level}`;

function onlyIn(
	these: readonly FlagCandidate[],
	other: readonly FlagCandidate[],
	examples: number
): { count: number; examples: FlagExample[] } {
	const seen = new Set(other.map(identity));
	const only = these.filter((f) => !seen.has(identity(f)));
	return {
		count: only.length,
		examples: only
			.slice(0, examples)
			.map((f) => ({ ruleId: f.ruleId, level: f.level, message: f.message }))
	};
}

/**
 * Counts per rule under both versions. Rules are listed in `ruleIds` order (both versions' rules),
 * then any other rule that raised a flag.
 */
export function compareFlags(
	ruleIds: readonly string[],
	active: readonly FlagCandidate[],
	candidate: readonly FlagCandidate[],
	examples = 5
): FlagComparison {
	const a = countBy(active);
	const c = countBy(candidate);
	const ids = [...new Set([...ruleIds, ...a.keys(), ...c.keys()])];
	return {
		rules: ids.map((ruleId) => {
			const before = a.get(ruleId) ?? 0;
			const after = c.get(ruleId) ?? 0;
			return { ruleId, active: before, candidate: after, difference: after - before };
		}),
		totals: { active: totalsOf(active), candidate: totalsOf(candidate) },
		onlyActive: onlyIn(active, candidate, examples),
		onlyCandidate: onlyIn(candidate, active, examples)
	};
}

export interface ThresholdRow {
	measure: VitalMeasure;
	label: string;
	unit: string;
	/** "≥ 140", per level; null where the protocol sets no threshold. */
	high: Record<FlagLevel, string>;
	low: Record<FlagLevel, string | null>;
}

/** The vital-sign bands in force, with their operators: "≥ 160", "> 180", "< 90". */
export function thresholdRows(protocol: Protocol): ThresholdRow[] {
	return VITAL_MEASURES.map((measure) => {
		const bands = protocol.safetyRules.vitals[measure];
		const high = {} as Record<FlagLevel, string>;
		const low = {} as Record<FlagLevel, string | null>;
		for (const level of FLAG_LEVELS) {
			high[level] = describeComparison(bands.high[level]);
			const l = bands.low[level];
			low[level] = l ? describeComparison(l) : null;
		}
		return { measure, label: VITAL_LABELS[measure], unit: VITAL_UNITS[measure], high, low };
	});
}
