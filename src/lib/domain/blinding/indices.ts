// Blinding indices for a two-arm trial from the 2 × 3 table of guesses (DOMAIN-2.md §2):
// rows = guess (active, control, don't know), columns = actual arm.
// Bang: Bang, Ni & Davis 2004, Control Clin Trials 25:143. James: James et al. 1996, Stat Med
// 15:1421, weights 0 correct, ½ wrong, 1 don't know; variance as in the R package BI 1.2.0
// (Schwartz & Mercaldo), which DOMAIN-2.md's worked example was computed with.
import { Z_95 } from '../statistics/normal-quantile';

/** Counts of guesses among the participants actually in one arm. */
export interface ArmGuesses {
	/** Guessed the active arm (MDMA). */
	guessedActive: number;
	/** Guessed the control arm (placebo). */
	guessedControl: number;
	dontKnow: number;
}

export interface GuessTable {
	active: ArmGuesses;
	control: ArmGuesses;
}

export interface IndexEstimate {
	estimate: number;
	se: number;
	lower: number;
	upper: number;
}

function checkCounts(g: ArmGuesses): void {
	for (const v of [g.guessedActive, g.guessedControl, g.dontKnow]) {
		if (!Number.isInteger(v) || v < 0) throw new RangeError('Counts must be whole numbers ≥ 0.');
	}
}

function interval(estimate: number, se: number, z: number): IndexEstimate {
	return { estimate, se, lower: estimate - z * se, upper: estimate + z * se };
}

/**
 * Bang's index for one arm: (c − w) / n, n counting "don't know"; SE √((p₁(1−p₁) + p₂(1−p₂) +
 * 2p₁p₂)/n). Null when nobody in the arm guessed an arm (the index is undefined).
 */
export function bangIndex(
	g: ArmGuesses,
	arm: 'active' | 'control',
	z = Z_95
): IndexEstimate | null {
	checkCounts(g);
	const guessed = g.guessedActive + g.guessedControl;
	const n = guessed + g.dontKnow;
	if (guessed === 0) return null;
	const correct = arm === 'active' ? g.guessedActive : g.guessedControl;
	const estimate = (2 * (correct / guessed) - 1) * (guessed / n);
	const p1 = g.guessedActive / n;
	const p2 = g.guessedControl / n;
	const se = Math.sqrt((p1 * (1 - p1) + p2 * (1 - p2) + 2 * p1 * p2) / n);
	return interval(estimate, se, z);
}

/** Weights of James' index: [guess][actual], rows active, control; columns active, control. */
const W = [
	[0, 0.5],
	[0.5, 0]
] as const;

/**
 * James' index over the whole trial: (1 + P_DK + (1 − P_DK)·κ_d) / 2, from 0 (complete
 * unblinding) through 0.5 (random guessing) to 1 (complete blinding). All "don't know" ⇒ 1, SE 0.
 * Null for an empty table, and when everyone guessed but one arm is empty (κ_d has no expected
 * disagreement to divide by).
 */
export function jamesIndex(t: GuessTable, z = Z_95): IndexEstimate | null {
	checkCounts(t.active);
	checkCounts(t.control);
	const cols = [t.active, t.control];
	const cell = (i: number, j: number) =>
		i === 0 ? cols[j]!.guessedActive : i === 1 ? cols[j]!.guessedControl : cols[j]!.dontKnow;
	const n = cols.reduce((s, c) => s + c.guessedActive + c.guessedControl + c.dontKnow, 0);
	if (n === 0) return null;
	const guesses = cell(0, 0) + cell(0, 1) + cell(1, 0) + cell(1, 1);
	if (guesses === 0) return interval(1, 0, z);
	const p = (i: number, j: number) => cell(i, j) / n;
	const row = (i: number) => p(i, 0) + p(i, 1);
	// column share among those who guessed, on the whole-table scale
	const colGuessed = (j: number) => p(0, j) + p(1, j);
	const pdk = (cell(2, 0) + cell(2, 1)) / n;
	const q = 1 - pdk;
	let observed = 0;
	let expected = 0;
	for (let i = 0; i < 2; i++) {
		for (let j = 0; j < 2; j++) {
			observed += (W[i]![j]! * p(i, j)) / q;
			expected += W[i]![j]! * row(i) * colGuessed(j);
		}
	}
	if (expected === 0) return null;
	const kd = (observed - expected / q ** 2) / (expected / q ** 2);
	let numerator = 0;
	for (let i = 0; i < 2; i++) {
		for (let j = 0; j < 2; j++) {
			let extra = 0;
			for (let r = 0; r < 2; r++) extra += W[r]![j]! * row(r) + W[i]![r]! * colGuessed(r);
			numerator += p(i, j) * q ** 2 * (q * W[i]![j]! - (1 + kd) * extra) ** 2;
		}
	}
	const v1 = numerator / (4 * expected ** 2);
	const v2 = pdk * q - q * (1 + kd) * (pdk + (q * (1 + kd)) / 4);
	const se = Math.sqrt(Math.max(0, (v1 + v2) / n));
	return interval((1 + pdk + q * kd) / 2, se, z);
}

/** How to read an index in words (DOMAIN-2.md §2). */
export function bangReading(estimate: number): string {
	if (estimate > 0.2) return 'more correct guesses than chance: possible unblinding';
	if (estimate < -0.2) return 'more wrong guesses than chance: opposite guessing';
	return 'within −0.2 to 0.2: consistent with successful blinding';
}

export function jamesReading(e: IndexEstimate): string {
	if (e.upper < 0.5) return 'upper limit below 0.5: unblinding';
	return 'upper limit at or above 0.5: no evidence of unblinding';
}
