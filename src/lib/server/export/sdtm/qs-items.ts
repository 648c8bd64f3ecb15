// The items of each rating scale as exports name them: key in the stored answers, SDTM test code,
// short neutral label (never licensed wording), and how a stored answer reads as a result.
import {
	canonicalAnswer,
	cssrs,
	isBlank,
	numericInstruments,
	readCssrsAnswer,
	readItemAnswer,
	type ItemDef,
	type ScaleId
} from '../../../domain/scales';

export interface ItemResult {
	/** --ORRES: as answered ("2a", "A1", "Y"). */
	original: string;
	/** --STRESN: the score, when the answer is one (not "not assessed", not yes/no). */
	numeric: number | null;
	/** An item the rater marked "not assessed" (HAM-D item 16 = 3): no result, QSSTAT NOT DONE. */
	notAssessed?: boolean;
}

export interface ScaleItem {
	key: string;
	testCode: string;
	label: string;
	/** 'integer' for plain scores and ratings, 'text' for yes/no and lettered answers. */
	dataType: 'integer' | 'text';
	range: { min: number; max: number } | null;
	read(raw: unknown): ItemResult | null;
}

/** Totals as QSTESTCD (≤ 8 characters, SDTMIG QS): scored instruments only. */
export const TOTAL_TEST_CODES: Record<Exclude<ScaleId, 'CSSRS'>, string> = {
	MADRS: 'MADRSTOT',
	HAMD17: 'HAMD1TOT',
	PHQ9: 'PHQ9TOT',
	QIDSSR16: 'QIDSTOT',
	BDI2: 'BDITOT'
};

function numericItem(item: ItemDef): ScaleItem {
	return {
		key: String(item.number),
		testCode: item.testCode,
		label: item.label,
		dataType: item.qualifier ? 'text' : 'integer',
		range: item.qualifier ? null : { min: item.min, max: item.max },
		read(raw) {
			if (isBlank(raw)) return null;
			const reading = readItemAnswer(item, raw);
			if (!reading.ok) return { original: String(raw), numeric: null };
			const { response } = reading;
			return {
				original: String(canonicalAnswer(item, response)),
				numeric: response.notAssessed ? null : response.score,
				notAssessed: response.notAssessed
			};
		}
	};
}

function cssrsItem(key: string, testCode: string, label: string, range: ScaleItem['range']) {
	return {
		key,
		testCode,
		label,
		dataType: range ? 'integer' : 'text',
		range,
		read(raw: unknown): ItemResult | null {
			if (isBlank(raw)) return null;
			const reading = readCssrsAnswer(key, raw);
			if (!reading.ok) return { original: String(raw), numeric: null };
			const v = reading.value;
			return typeof v === 'boolean'
				? { original: v ? 'Y' : 'N', numeric: null }
				: { original: String(v), numeric: v };
		}
	} satisfies ScaleItem;
}

const CSSRS_ITEMS: ScaleItem[] = [
	...cssrs.ideation.map((i) => cssrsItem(i.key, i.testCode, i.label, null)),
	...cssrs.intensity.map((i) => cssrsItem(i.key, i.testCode, i.label, { min: i.min, max: i.max })),
	...[...cssrs.behaviour, cssrs.selfInjury].map((b) => cssrsItem(b.key, b.testCode, b.label, null))
];

const ITEMS = new Map<ScaleId, ScaleItem[]>([
	...Object.values(numericInstruments).map(
		(inst) => [inst.id, inst.items.map(numericItem)] as [ScaleId, ScaleItem[]]
	),
	['CSSRS', CSSRS_ITEMS]
]);

export function scaleItems(instrument: ScaleId): ScaleItem[] {
	return ITEMS.get(instrument) ?? [];
}
