/**
 * Shapes shared by the rating-scale definitions and their scoring.
 *
 * Item keys: every answer is keyed by the item number as a plain decimal string ('1' … '21'),
 * except C-SSRS, whose keys are listed in `cssrs.ts`. Test codes follow `<prefix><NN>`: a short
 * per-instrument prefix plus the two-digit item number, at most 8 characters (the SDTM QSTESTCD
 * limit), e.g. MADRS101, HAMD116, PHQ0109, QIDS0112, BDI0109, CSS0101.
 */

/** The instruments Vigil scores that yield a total (every one but C-SSRS). */
export const numericScaleIds = ['MADRS', 'HAMD17', 'PHQ9', 'QIDSSR16', 'BDI2'] as const;
export type NumericScaleId = (typeof numericScaleIds)[number];

export const scaleIds = [...numericScaleIds, 'CSSRS'] as const;
export type ScaleId = (typeof scaleIds)[number];

export function isScaleId(value: unknown): value is ScaleId {
	return scaleIds.some((id) => id === value);
}

export function isNumericScaleId(value: unknown): value is NumericScaleId {
	return numericScaleIds.some((id) => id === value);
}

/** A severity band; both ends inclusive. */
export type Band = { readonly label: string; readonly min: number; readonly max: number };

/**
 * How an item's answer may carry a letter besides its score:
 * - 'bdi-direction': BDI-II items 16 and 18, digit then a/b ('2a'); 0 carries no letter.
 * - 'hamd-part': HAM-D item 16, optional part A (history) or B (weight measured) before the digit.
 */
export type QualifierKind = 'bdi-direction' | 'hamd-part';

export type ItemDef = {
	readonly number: number;
	/** Short neutral label; never licensed item wording. */
	readonly label: string;
	readonly min: number;
	readonly max: number;
	readonly testCode: string;
	/** false: recorded but not part of the total (PHQ-9 item 10). Absent means scored. */
	readonly scored?: boolean;
	readonly qualifier?: QualifierKind;
	/** A value past `max` that means "not assessed": valid, recorded, left out of the total. */
	readonly notAssessed?: number;
};

/** A group of items of which only the highest score counts (QIDS-SR16 domains). */
export type DomainDef = {
	readonly key: string;
	readonly label: string;
	readonly items: readonly number[];
};

export type NumericInstrument = {
	readonly id: NumericScaleId;
	readonly name: string;
	readonly rater: 'clinician' | 'self';
	/** Whether the instrument's own item wording may be shipped (DOMAIN.md §2, licensing). */
	readonly itemTextMayShip: boolean;
	readonly items: readonly ItemDef[];
	readonly totalRange: { readonly min: number; readonly max: number };
	readonly bands: readonly Band[];
	readonly suicidalityItem: number;
	/** Default remission: total ≤ maxTotal. A protocol may override it. */
	readonly remission: { readonly maxTotal: number };
	/** When present, the total is the sum of each domain's highest item; else the sum of items. */
	readonly domains?: readonly DomainDef[];
};

/** An answer as entered: 4, '4', '2a' (BDI-II 16/18), 'B1' (HAM-D 16), true / 'yes' (C-SSRS). */
export type ItemAnswer = number | string | boolean;

/** Answers keyed by item key; null, undefined and '' all mean "not answered". */
export type Answers = Readonly<Record<string, ItemAnswer | null | undefined>>;

/** One item's answer once read. */
export type ItemResponse = {
	readonly score: number;
	/** BDI-II direction letter ('a' | 'b') or HAM-D 16 part ('A' | 'B'); null when none. */
	readonly qualifier: string | null;
	readonly notAssessed: boolean;
};
