// Interaction rules for concomitant medications (DOMAIN-2.md §4): a medication that is taken, or
// was stopped less than its washout ago, on the day of a dosing session (or today, when entered)
// gives a flag candidate; a rule that blocks dosing holds the dose. Partial stop dates count from
// the latest possible day, partial start dates from the earliest.
import type { FlagCandidate } from '../safety/types';
import type { ConmedRule } from './settings';

export interface Medication {
	id: number;
	/** The name as written (CMTRT). */
	name: string;
	/** Lower-case ingredient (CMDECOD), when coded. */
	ingredient: string | null;
	/** ATC code of the class or ingredient (CMCLASCD). */
	atcCode: string | null;
	/** ISO date, possibly partial: 2026, 2026-05 or 2026-05-14. */
	start: string;
	/** Null while ongoing. */
	stop: string | null;
}

export type ConmedStatus =
	{ kind: 'active' } | { kind: 'washout'; daysOff: number; needed: number } | { kind: 'clear' };

const PARTIAL_DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

function parts(date: string): [number, number | null, number | null] {
	const m = PARTIAL_DATE.exec(date);
	if (!m) throw new RangeError(`Not an ISO date: ${date}`);
	return [Number(m[1]), m[2] ? Number(m[2]) : null, m[3] ? Number(m[3]) : null];
}

const iso = (y: number, m: number, d: number) =>
	`${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

/** The first day a partial date can mean. */
export function earliestDay(date: string): string {
	const [y, m, d] = parts(date);
	return iso(y, m ?? 1, d ?? 1);
}

/** The last day a partial date can mean. */
export function latestDay(date: string): string {
	const [y, m, d] = parts(date);
	if (m === null) return iso(y, 12, 31);
	if (d !== null) return iso(y, m, d);
	const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
	return iso(y, m, last);
}

function dayNumber(day: string): number {
	return Math.round(Date.parse(`${day}T00:00:00Z`) / 86_400_000);
}

/** Rules a medication falls under: those naming its ingredient first, then by ATC prefix. */
export function matchingRules(med: Medication, rules: readonly ConmedRule[]): ConmedRule[] {
	const ingredient = med.ingredient?.trim().toLowerCase() ?? null;
	const code = med.atcCode?.trim().toUpperCase() ?? null;
	const byIngredient = ingredient ? rules.filter((r) => r.ingredients.includes(ingredient)) : [];
	const byCode = code
		? rules.filter(
				(r) => !byIngredient.includes(r) && r.atcPrefixes.some((p) => code.startsWith(p))
			)
		: [];
	return [...byIngredient, ...byCode];
}

export function washoutFor(rule: ConmedRule, med: Medication): number {
	const ingredient = med.ingredient?.trim().toLowerCase();
	return (ingredient && rule.ingredientWashoutDays[ingredient]) || rule.washoutDays;
}

/** Whether the medication is taken on `day` (ISO date), in washout then, or clear. */
export function statusOn(med: Medication, rule: ConmedRule, day: string): ConmedStatus {
	const target = dayNumber(day);
	if (dayNumber(earliestDay(med.start)) > target) return { kind: 'clear' };
	if (med.stop === null || dayNumber(latestDay(med.stop)) >= target) return { kind: 'active' };
	const daysOff = target - dayNumber(latestDay(med.stop));
	const needed = washoutFor(rule, med);
	return daysOff < needed ? { kind: 'washout', daysOff, needed } : { kind: 'clear' };
}

export interface InteractionCheck {
	/** The day checked, ISO. */
	day: string;
	/** 'dosing' for a dosing session that day; 'entry' when checked as the medication is saved. */
	context: 'dosing' | 'entry';
	/** The session, when checking a dosing session. */
	sessionId?: number;
}

export interface Interaction {
	rule: ConmedRule;
	medication: Medication;
	status: Exclude<ConmedStatus, { kind: 'clear' }>;
	candidate: FlagCandidate;
}

function describe(med: Medication, rule: ConmedRule, s: Interaction['status']): string {
	const what = `${med.name} (${rule.class})`;
	const when =
		s.kind === 'active'
			? 'is being taken'
			: `was stopped ${s.daysOff} day${s.daysOff === 1 ? '' : 's'} ago; the washout is ${s.needed} days`;
	return `${what} ${when}: ${rule.level}. ${rule.message}`;
}

/** Flag candidates for every medication that breaks a rule on the day checked. */
export function interactions(
	meds: readonly Medication[],
	rules: readonly ConmedRule[],
	check: InteractionCheck
): Interaction[] {
	const out: Interaction[] = [];
	for (const med of meds) {
		for (const rule of matchingRules(med, rules)) {
			const status = statusOn(med, rule, check.day);
			if (status.kind === 'clear') continue;
			const where = check.context === 'dosing' ? `session:${check.sessionId ?? 0}` : 'entry';
			out.push({
				rule,
				medication: med,
				status,
				candidate: {
					ruleId: `conmed.${rule.id}`,
					level: rule.level,
					sourceType: 'concomitant_medication',
					sourceId: med.id,
					key: `conmed.${rule.id}:cm:${med.id}:${where}`,
					values: {
						medication: med.name,
						class: rule.class,
						status: status.kind,
						daysOff: status.kind === 'washout' ? status.daysOff : null,
						washoutDays: status.kind === 'washout' ? status.needed : washoutFor(rule, med),
						blocksDosing: rule.blocksDosing
					},
					message: describe(med, rule, status)
				}
			});
		}
	}
	return out;
}

/** Whether the interactions hold the dose, and why, in words. */
export function doseHold(found: readonly Interaction[]): { held: boolean; reasons: string[] } {
	const blocking = found.filter((i) => i.rule.blocksDosing);
	return { held: blocking.length > 0, reasons: blocking.map((i) => i.candidate.message) };
}
