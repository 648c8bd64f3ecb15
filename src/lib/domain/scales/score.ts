/**
 * Scoring of the instruments that yield a total: MADRS, HAM-D17, PHQ-9, QIDS-SR16, BDI-II.
 *
 * A total exists only when every scored item is answered (DOMAIN.md §2); a partial administration
 * scores as incomplete with a null total and band. HAM-D item 16 answered 3 ("not assessed")
 * counts as answered, so the administration can be complete, but adds nothing to the total.
 * Answers are expected to have passed `src/lib/schemas/scales.ts`; one that cannot be read, or a
 * key the instrument does not have, is a programming error and throws a RangeError.
 */
import { isBlank, readItemAnswer } from './answers';
import { numericInstrument } from './instruments';
import type {
	Answers,
	Band,
	DomainDef,
	ItemResponse,
	NumericInstrument,
	NumericScaleId
} from './types';

export type DomainScore = DomainDef & { readonly score: number | null };

export type ScaleScore = {
	readonly instrument: NumericScaleId;
	readonly complete: boolean;
	readonly total: number | null;
	readonly band: Band | null;
	/** Scored items without an answer, ascending. */
	readonly missingItems: readonly number[];
	/** Every answered item (unscored and not-assessed ones too), keyed by item number. */
	readonly responses: Readonly<Partial<Record<number, ItemResponse>>>;
	/** Answered items left out of the total as not assessed (HAM-D item 16 = 3). */
	readonly notAssessedItems: readonly number[];
	/** QIDS-SR16 only: the nine domains, each null while one of its items is unanswered. */
	readonly domains?: readonly DomainScore[];
	/** The score of the instrument's suicidality item, null when unanswered or not assessed. */
	readonly suicidalityItemScore: number | null;
};

function readResponses(def: NumericInstrument, answers: Answers): Map<number, ItemResponse> {
	const byKey = new Map(def.items.map((item) => [String(item.number), item]));
	const responses = new Map<number, ItemResponse>();
	for (const [key, raw] of Object.entries(answers)) {
		const item = byKey.get(key);
		if (!item) throw new RangeError(`${def.id} has no item ${key}.`);
		if (isBlank(raw)) continue;
		const reading = readItemAnswer(item, raw);
		if (!reading.ok) throw new RangeError(`${def.id}: ${reading.message}`);
		responses.set(item.number, reading.response);
	}
	return responses;
}

/** The groups whose highest item counts: QIDS-SR16's domains, or else each scored item alone. */
function scoringGroups(def: NumericInstrument): readonly DomainDef[] {
	if (def.domains) return def.domains;
	return def.items
		.filter((item) => item.scored !== false)
		.map((item) => ({ key: String(item.number), label: item.label, items: [item.number] }));
}

function groupScore(group: DomainDef, responses: Map<number, ItemResponse>): number | null {
	let score = 0;
	for (const number of group.items) {
		const response = responses.get(number);
		if (!response) return null;
		if (!response.notAssessed) score = Math.max(score, response.score);
	}
	return score;
}

/** The band holding `total`, which must be a whole number within the instrument's range. */
export function bandFor(id: NumericScaleId, total: number): Band {
	const def = numericInstrument(id);
	const band = def.bands.find((b) => total >= b.min && total <= b.max);
	if (!Number.isInteger(total) || !band) {
		throw new RangeError(
			`${id} total must be a whole number from ${def.totalRange.min} to ${def.totalRange.max}.`
		);
	}
	return band;
}

export function scoreScale(id: NumericScaleId, answers: Answers): ScaleScore {
	const def = numericInstrument(id);
	const responses = readResponses(def, answers);
	const missingItems = def.items
		.filter((item) => item.scored !== false && !responses.has(item.number))
		.map((item) => item.number);
	const groups = scoringGroups(def).map((group) => ({
		...group,
		score: groupScore(group, responses)
	}));
	const complete = missingItems.length === 0;
	const total = complete ? groups.reduce((sum, group) => sum + (group.score ?? 0), 0) : null;
	const suicidality = responses.get(def.suicidalityItem);
	return {
		instrument: id,
		complete,
		total,
		band: total === null ? null : bandFor(id, total),
		missingItems,
		responses: Object.fromEntries(responses),
		notAssessedItems: [...responses].filter(([, r]) => r.notAssessed).map(([number]) => number),
		...(def.domains ? { domains: groups } : {}),
		suicidalityItemScore: suicidality && !suicidality.notAssessed ? suicidality.score : null
	};
}

/** MADRS total 0–60, or null while an item is unanswered. */
export const madrsTotal = (answers: Answers): number | null => scoreScale('MADRS', answers).total;

/** HAM-D17 total 0–52 (item 16 left out when not assessed), or null while incomplete. */
export const hamd17Total = (answers: Answers): number | null => scoreScale('HAMD17', answers).total;

/** PHQ-9 total 0–27 over items 1–9 (item 10 is never scored), or null while incomplete. */
export const phq9Total = (answers: Answers): number | null => scoreScale('PHQ9', answers).total;

/** QIDS-SR16 total 0–27, the sum of the nine domain scores, or null while incomplete. */
export const qidsSr16Total = (answers: Answers): number | null =>
	scoreScale('QIDSSR16', answers).total;

/** BDI-II total 0–63 (the digit of 16 and 18 is scored), or null while incomplete. */
export const bdi2Total = (answers: Answers): number | null => scoreScale('BDI2', answers).total;
