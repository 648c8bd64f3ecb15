// Item answers that add up to an intended total, each within its item's range (DOMAIN.md §2
// table), with the suicidality item set from the day's suicidal thoughts so that the scales agree.
import { numericInstrument, type NumericScaleId } from '../../domain/scales';
import type { Random } from './random';
import type { SuicidalThoughts } from './scores';

type Answers = Record<string, number | string>;

/** The suicidality item's value on each scale for the day's level of suicidal thoughts [D]. */
function suicidalityAnswer(id: NumericScaleId, level: SuicidalThoughts): number {
	switch (id) {
		case 'MADRS':
			return level; // item 10 "suicidal thoughts" 0–6; 2–3 only occasionally (demo brief)
		case 'HAMD17':
			return Math.min(level, 2); // item 3; ≥ 3 would be urgent (DOMAIN.md §2 flags)
		case 'PHQ9':
			return level >= 2 ? 1 : 0; // item 9; ≥ 1 is an action flag (DOMAIN.md §2)
		case 'QIDSSR16':
		case 'BDI2':
			return Math.min(level, 1); // QIDS item 12, BDI-II item 9; ≥ 2 would be action (§2)
	}
}

/** Adds `total` points one at a time to items with room left, each as likely as its weight. */
function spread(rng: Random, caps: number[], total: number): number[] {
	const values = caps.map(() => 0);
	const weights = caps.map(() => 0.4 + rng.next());
	const room = caps.reduce((a, b) => a + b, 0);
	for (let left = Math.min(total, room); left > 0; left--) {
		const open = caps.flatMap((cap, i) => (values[i]! < cap ? [i] : []));
		let r = rng.next() * open.reduce((sum, i) => sum + weights[i]!, 0);
		let chosen = open[open.length - 1]!;
		for (const i of open) {
			r -= weights[i]!;
			if (r < 0) {
				chosen = i;
				break;
			}
		}
		values[chosen]! += 1;
	}
	return values;
}

/** Items that sum to the total (MADRS, HAM-D17, PHQ-9, BDI-II). */
function summedItems(rng: Random, id: NumericScaleId, total: number, level: SuicidalThoughts) {
	const def = numericInstrument(id);
	const fixed = suicidalityAnswer(id, level);
	const free = def.items.filter((i) => i.scored !== false && i.number !== def.suicidalityItem);
	const values = spread(
		rng,
		free.map((i) => i.max - i.min),
		total - fixed
	);
	const answers: Answers = { [def.suicidalityItem]: fixed };
	free.forEach((item, k) => (answers[item.number] = item.min + values[k]!));
	return answers;
}

/** QIDS-SR16: nine domain scores sum to the total; a domain's highest item carries its score. */
function qidsItems(rng: Random, total: number, level: SuicidalThoughts): Answers {
	const def = numericInstrument('QIDSSR16');
	const domains = def.domains ?? [];
	const fixed = suicidalityAnswer('QIDSSR16', level);
	const others = domains.filter((d) => !d.items.includes(def.suicidalityItem));
	const scores = spread(
		rng,
		others.map(() => 3),
		total - fixed
	);
	const answers: Answers = { [def.suicidalityItem]: fixed };
	others.forEach((domain, k) => {
		const score = scores[k]!;
		// Insomnia and weight loss are the usual picture; the first items of a domain lead [D]
		const lead = domain.items[rng.chance(0.8) ? 0 : rng.int(0, domain.items.length - 1)]!;
		for (const n of domain.items) answers[n] = n === lead ? score : rng.int(0, score);
	});
	return answers;
}

/** BDI-II items 16 and 18 carry a direction letter after a non-zero score (DOMAIN.md §2). */
function withBdiLetters(rng: Random, answers: Answers): Answers {
	for (const n of [16, 18]) {
		const v = answers[n];
		if (typeof v === 'number' && v > 0) answers[n] = `${v}${rng.chance(0.5) ? 'a' : 'b'}`;
	}
	return answers;
}

/** Answers for a numeric instrument whose score is `total` (when it fits the items' ranges). */
export function numericAnswers(
	rng: Random,
	id: NumericScaleId,
	total: number,
	level: SuicidalThoughts
): Answers {
	if (id === 'QIDSSR16') return qidsItems(rng, total, level);
	const answers = summedItems(rng, id, total, level);
	if (id === 'BDI2') return withBdiLetters(rng, answers);
	// PHQ-9 item 10 is unscored: how hard the problems made daily life, with the total [D]
	if (id === 'PHQ9') answers[10] = Math.min(3, Math.round(total / 7));
	return answers;
}

/** C-SSRS: mostly no ideation; rarely a wish to be dead (type 1) or non-specific thoughts (2). */
export function cssrsAnswers(rng: Random, level: SuicidalThoughts): Record<string, boolean> {
	const type1 = level >= 2 || (level === 1 && rng.chance(0.08)); // demo brief: rare, passive
	const type2 = type1 && level === 3 && rng.chance(0.4);
	const answers: Record<string, boolean> = { '1': type1, '2': type2 };
	// Types 3–5 are asked only after a yes to type 2 (C-SSRS skip rule)
	if (type2) Object.assign(answers, { '3': false, '4': false, '5': false });
	for (const key of ['actualAttempt', 'interruptedAttempt', 'abortedAttempt', 'preparatoryActs']) {
		answers[key] = false;
	}
	answers.nonSuicidalSelfInjury = false;
	return answers;
}
