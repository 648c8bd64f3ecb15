import {
	DEFAULT_SAFETY_RULES,
	DEFAULT_VITALS_TIMEPOINTS,
	demoProtocol,
	type FlagLevel,
	type SafetyRules
} from '../../../src/lib/domain/protocol';
import type { FlagCandidate, SessionFacts } from '../../../src/lib/domain/safety';
import type { VitalsReading } from '../../../src/lib/domain/vitals';

export type Reading = VitalsReading & { id: number };

export const T0 = '2025-03-05T09:00:00.000Z';

/** T0 + `minutes` (negative before the dose). */
export function at(minutes: number): Date {
	return new Date(Date.parse(T0) + minutes * 60_000);
}

/** Values inside every band, so a test changes only what it is about. */
export const NORMAL = { systolic: 120, diastolic: 80, heartRate: 70, temperature: 36.8 } as const;

/** A reading `minutes` from T0 with normal values unless `values` says otherwise; unscheduled. */
export function reading(
	id: number,
	minutes: number,
	values: Partial<Omit<Reading, 'id' | 'takenAt'>> = {}
): Reading {
	return { id, takenAt: at(minutes).toISOString(), timepointNumber: null, ...NORMAL, ...values };
}

/** A running session (not ended) with the default schedule. */
export function session(readings: Reading[], extra: Partial<SessionFacts> = {}): SessionFacts {
	return {
		sessionId: 7,
		t0: T0,
		endedAt: null,
		readings,
		timepoints: DEFAULT_VITALS_TIMEPOINTS,
		...extra
	};
}

/** The demo protocol's rules, a fresh copy a test may change. */
export function demoRules(change: (r: SafetyRules) => void = () => {}): SafetyRules {
	const copy = structuredClone(demoProtocol().safetyRules);
	change(copy);
	return copy;
}

/** The default rules, a fresh copy a test may change. */
export function defaultRules(change: (r: SafetyRules) => void = () => {}): SafetyRules {
	const copy = structuredClone(DEFAULT_SAFETY_RULES);
	change(copy);
	return copy;
}

/** Rules with only the named part switched on, so other rules do not add candidates. */
export function onlyBands(): SafetyRules {
	return demoRules((r) => {
		r.vitalsChange = [];
		r.sustained.enabled = false;
		r.missedReading.enabled = false;
	});
}

const RANK: Record<FlagLevel, number> = { notify: 1, action: 2, urgent: 3 };

/** The most severe level among `flags`, or null when there are none. */
export function highest(flags: FlagCandidate[]): FlagLevel | null {
	let best: FlagLevel | null = null;
	for (const f of flags) if (!best || RANK[f.level] > RANK[best]) best = f.level;
	return best;
}

export function ruleIds(flags: FlagCandidate[]): string[] {
	return flags.map((f) => f.ruleId).sort();
}

/** The element at `index`, or a thrown error (keeps tests free of `!`). */
export function item<T>(list: readonly T[], index: number): T {
	const found = list[index];
	if (found === undefined) throw new Error(`No element ${index}`);
	return found;
}
