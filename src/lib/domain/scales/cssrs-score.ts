/**
 * C-SSRS: reading answers and classifying them. There is no total. Ideation = yes to any of
 * types 1–5; suicidal behaviour = yes to an actual, interrupted or aborted attempt or preparatory
 * acts; non-suicidal self-injury is recorded but is not suicidal behaviour (DOMAIN.md §2; PhenX;
 * FDA-CASA 2012, PMC4267798).
 *
 * Complete when types 1 and 2, the four behaviours and self-injury are answered, and types 3–5
 * too unless type 2 is no (the form skips 3–5 after a no to 2). Intensity is optional. A yes is
 * reported even on an incomplete form, so a false `ideation` there means "none recorded".
 */
import { isBlank } from './answers';
import { cssrs, cssrsKeys, type CssrsBehaviourKey, type CssrsIntensityKey } from './instruments';
import type { Answers } from './types';

export type CssrsReading =
	| { readonly ok: true; readonly value: boolean | number }
	| { readonly ok: false; readonly message: string };

export type CssrsCategory = {
	/** FDA-CASA 2012 code (PMC4267798, table 1). */
	readonly code: number;
	readonly key: string;
	readonly label: string;
	readonly kind: 'behaviour' | 'ideation' | 'self-injury';
};

export type CssrsScore = {
	readonly instrument: 'CSSRS';
	readonly complete: boolean;
	/** C-SSRS has no total or severity band; null here so every score reads alike. */
	readonly total: null;
	readonly band: null;
	readonly missingItems: readonly string[];
	readonly ideation: boolean;
	/** Highest ideation type answered yes; 0 when none. */
	readonly maxIdeationType: 0 | 1 | 2 | 3 | 4 | 5;
	readonly behaviour: boolean;
	/** Behaviours answered yes, most severe first. */
	readonly behaviours: readonly CssrsBehaviourKey[];
	readonly selfInjury: boolean;
	readonly intensity: Readonly<Partial<Record<CssrsIntensityKey, number>>>;
	/** Sum of the five intensity ratings when all are given, else null. */
	readonly intensityTotal: number | null;
	/** Every category present, most severe first. */
	readonly categories: readonly CssrsCategory[];
	/** The most severe category present, null when nothing was answered yes. */
	readonly category: CssrsCategory | null;
	readonly summary:
		'suicidal behaviour' | 'suicidal ideation' | 'non-suicidal self-injury' | 'none';
};

const yes = new Set(['yes', 'y', 'true', '1']);
const no = new Set(['no', 'n', 'false', '0']);

function readYesNo(raw: unknown): boolean | null {
	if (typeof raw === 'boolean') return raw;
	if (raw === 1 || raw === 0) return raw === 1;
	if (typeof raw !== 'string') return null;
	const text = raw.trim().toLowerCase();
	return yes.has(text) ? true : no.has(text) ? false : null;
}

/** Reads one non-blank C-SSRS answer: yes/no for ideation and behaviour, a rating for intensity. */
export function readCssrsAnswer(key: string, raw: unknown): CssrsReading {
	const rating = cssrs.intensity.find((i) => i.key === key);
	if (rating) {
		const value = typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw) : raw;
		const fits = typeof value === 'number' && Number.isInteger(value);
		return fits && value >= rating.min && value <= rating.max
			? { ok: true, value }
			: {
					ok: false,
					message: `${rating.label} must be a whole number from ${rating.min} to ${rating.max}.`
				};
	}
	const value = readYesNo(raw);
	if (value !== null) return { ok: true, value };
	const ideation = cssrs.ideation.find((i) => i.key === key);
	const label = ideation ? `Ideation type ${ideation.type}` : labelOf(key);
	return { ok: false, message: `${label} must be yes or no.` };
}

function labelOf(key: string): string {
	const found = [...cssrs.behaviour, cssrs.selfInjury].find((b) => b.key === key);
	return found?.label ?? `Item ${key}`;
}

function readAll(answers: Answers): Map<string, boolean | number> {
	const values = new Map<string, boolean | number>();
	for (const [key, raw] of Object.entries(answers)) {
		if (!cssrsKeys.includes(key)) throw new RangeError(`CSSRS has no item ${key}.`);
		if (isBlank(raw)) continue;
		const reading = readCssrsAnswer(key, raw);
		if (!reading.ok) throw new RangeError(`CSSRS: ${reading.message}`);
		values.set(key, reading.value);
	}
	return values;
}

function missingOf(values: Map<string, boolean | number>): string[] {
	const skipThreeToFive = values.get('2') === false;
	const required = [
		...cssrs.ideation.filter((i) => i.type <= 2 || !skipThreeToFive).map((i) => i.key),
		...cssrs.behaviour.map((b) => b.key),
		cssrs.selfInjury.key
	];
	return required.filter((key) => !values.has(key));
}

type Classified = { readonly key: string; readonly label: string; readonly fdaCasa: number };

function categoryOf(kind: CssrsCategory['kind'], answer: Classified): CssrsCategory {
	return { code: answer.fdaCasa, key: answer.key, label: answer.label, kind };
}

function categoriesOf(values: Map<string, boolean | number>): CssrsCategory[] {
	const present = (answer: Classified) => values.get(answer.key) === true;
	const ideationMostSevereFirst = [...cssrs.ideation].reverse();
	return [
		...cssrs.behaviour.filter(present).map((b) => categoryOf('behaviour', b)),
		...ideationMostSevereFirst.filter(present).map((i) => categoryOf('ideation', i)),
		...[cssrs.selfInjury].filter(present).map((s) => categoryOf('self-injury', s))
	];
}

function intensityOf(values: Map<string, boolean | number>): CssrsScore['intensity'] {
	const out: Partial<Record<CssrsIntensityKey, number>> = {};
	for (const { key } of cssrs.intensity) {
		const value = values.get(key);
		if (typeof value === 'number') out[key] = value;
	}
	return out;
}

export function scoreCssrs(answers: Answers): CssrsScore {
	const values = readAll(answers);
	const missingItems = missingOf(values);
	const categories = categoriesOf(values);
	const ideationTypes = cssrs.ideation.filter((i) => values.get(i.key) === true).map((i) => i.type);
	const behaviours = cssrs.behaviour.filter((b) => values.get(b.key) === true).map((b) => b.key);
	const intensity = intensityOf(values);
	const ratings = Object.values(intensity);
	const category = categories[0] ?? null;
	return {
		instrument: 'CSSRS',
		complete: missingItems.length === 0,
		total: null,
		band: null,
		missingItems,
		ideation: ideationTypes.length > 0,
		// Types are listed in ascending order, so the last one found is the highest.
		maxIdeationType: ideationTypes.at(-1) ?? 0,
		behaviour: behaviours.length > 0,
		behaviours,
		selfInjury: values.get(cssrs.selfInjury.key) === true,
		intensity,
		intensityTotal:
			ratings.length === cssrs.intensity.length ? ratings.reduce((a, b) => a + b, 0) : null,
		categories,
		category,
		summary: summaryOf(category)
	};
}

function summaryOf(category: CssrsCategory | null): CssrsScore['summary'] {
	if (category === null) return 'none';
	if (category.kind === 'behaviour') return 'suicidal behaviour';
	return category.kind === 'ideation' ? 'suicidal ideation' : 'non-suicidal self-injury';
}
