/**
 * The scales as DOMAIN.md §2 states them, written out independently of the definitions under
 * test, so a wrong definition shows up as a failing test rather than agreeing with itself.
 */
import type { Answers, NumericScaleId } from '../../../src/lib/domain/scales';

const repeat = (count: number, max: number): number[] => Array.from({ length: count }, () => max);

/** Each scored item's maximum, item 1 first. */
export const itemMaxima: Record<NumericScaleId, number[]> = {
	MADRS: repeat(10, 6),
	// HAM-D17: 1,2,3,7,8,9,10,11,15 are 0–4; 4,5,6,12,13,14,17 are 0–2; 16 is 0–2 (3 = not assessed)
	HAMD17: [4, 4, 4, 2, 2, 2, 4, 4, 4, 4, 4, 2, 2, 2, 4, 2, 2],
	PHQ9: repeat(9, 3),
	QIDSSR16: repeat(16, 3),
	BDI2: repeat(21, 3)
};

export const totalMaxima: Record<NumericScaleId, number> = {
	MADRS: 60,
	HAMD17: 52,
	PHQ9: 27,
	QIDSSR16: 27,
	BDI2: 63
};

/** Answers keyed '1', '2', … from a list of scores, item 1 first; undefined leaves an item out. */
export function answersOf(scores: readonly (number | string | undefined)[]): Answers {
	const answers: Record<string, number | string> = {};
	scores.forEach((score, index) => {
		if (score !== undefined) answers[String(index + 1)] = score;
	});
	return answers;
}

/** Every scored item of `id` answered with the same score. */
export function allItems(id: NumericScaleId, score: number): Answers {
	return answersOf(itemMaxima[id].map(() => score));
}

/** QIDS-SR16 by hand: the nine domains of ids-qids.org. */
export function qidsByHand(s: readonly number[]): number {
	const at = (item: number) => s[item - 1] ?? Number.NaN;
	const maxOf = (...items: number[]) => Math.max(...items.map(at));
	return (
		maxOf(1, 2, 3, 4) +
		at(5) +
		maxOf(6, 7, 8, 9) +
		at(10) +
		at(11) +
		at(12) +
		at(13) +
		at(14) +
		maxOf(15, 16)
	);
}

/**
 * Scores, item 1 first, filling items in order up to each item's maximum until they add up to
 * `total` (a plain sum: not for QIDS-SR16).
 */
export function scoresSumming(id: NumericScaleId, total: number): number[] {
	let left = total;
	return itemMaxima[id].map((max) => {
		const score = Math.min(max, left);
		left -= score;
		return score;
	});
}
