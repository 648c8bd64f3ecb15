/**
 * Input schemas for a rating-scale administration: `{ instrument, items }`, where `items` maps an
 * item key to its answer. Keys are the item numbers as strings ('1'…'21'); C-SSRS uses '1'…'5'
 * for the ideation types plus the intensity and behaviour keys of `cssrs` in the domain.
 *
 * Answers may come as numbers or as form strings. Blank answers ('', null, absent) are dropped:
 * a partial administration is valid here and is scored as incomplete. A bad answer gets an issue
 * whose path names the item, e.g. ['items', '10'] 'Item 10 must be a whole number from 0 to 6.'
 *
 * Output values: a number; '2a'-style for BDI-II items 16 and 18 and 'A1'-style for HAM-D item 16
 * when a letter was given; booleans for C-SSRS yes/no. The output feeds `scoreAdministration`.
 */
import { z } from 'zod';
import {
	canonicalAnswer,
	cssrs,
	cssrsKeys,
	isBlank,
	numericInstruments,
	readCssrsAnswer,
	readItemAnswer,
	scaleIds,
	type ItemDef,
	type NumericInstrument,
	type NumericScaleId
} from '../domain/scales';

function withoutBlanks<T>(items: Record<string, T | undefined>): Record<string, T> {
	const out: Record<string, T> = {};
	for (const [key, value] of Object.entries(items)) {
		if (value !== undefined) out[key] = value;
	}
	return out;
}

function unknownKeysError(name: string) {
	return (issue: z.core.$ZodRawIssue): string | undefined => {
		if (issue.code === 'unrecognized_keys') {
			return `${name} has no item ${issue.keys.join(', ')}.`;
		}
		if (issue.code === 'invalid_type') return `Give the ${name} item answers.`;
		return undefined;
	};
}

function itemField(item: ItemDef) {
	return z
		.unknown()
		.transform((raw, ctx) => {
			if (isBlank(raw)) return undefined;
			const reading = readItemAnswer(item, raw);
			if (!reading.ok) {
				ctx.addIssue({ code: 'custom', message: reading.message });
				return z.NEVER;
			}
			return canonicalAnswer(item, reading.response);
		})
		.optional();
}

function numericItems(def: NumericInstrument) {
	const shape = Object.fromEntries(def.items.map((item) => [String(item.number), itemField(item)]));
	return z.strictObject(shape, { error: unknownKeysError(def.id) }).transform(withoutBlanks);
}

function cssrsField(key: string) {
	return z
		.unknown()
		.transform((raw, ctx) => {
			if (isBlank(raw)) return undefined;
			const reading = readCssrsAnswer(key, raw);
			if (!reading.ok) {
				ctx.addIssue({ code: 'custom', message: reading.message });
				return z.NEVER;
			}
			return reading.value;
		})
		.optional();
}

/** C-SSRS answers: yes/no (boolean, 'yes'/'no') for ideation and behaviour, ratings for intensity. */
export const cssrsItems = z
	.strictObject(Object.fromEntries(cssrsKeys.map((key) => [key, cssrsField(key)])), {
		error: unknownKeysError(cssrs.id)
	})
	.transform(withoutBlanks);

export const numericScaleItems = {
	MADRS: numericItems(numericInstruments.MADRS),
	HAMD17: numericItems(numericInstruments.HAMD17),
	PHQ9: numericItems(numericInstruments.PHQ9),
	QIDSSR16: numericItems(numericInstruments.QIDSSR16),
	BDI2: numericItems(numericInstruments.BDI2)
} as const satisfies Record<NumericScaleId, z.ZodType>;

function administration<const Id extends NumericScaleId>(id: Id) {
	return z.object({ instrument: z.literal(id), items: numericScaleItems[id] });
}

/** One administration of any instrument: `{ instrument: 'MADRS', items: { '1': 3, … } }`. */
export const administrationInput = z.discriminatedUnion(
	'instrument',
	[
		administration('MADRS'),
		administration('HAMD17'),
		administration('PHQ9'),
		administration('QIDSSR16'),
		administration('BDI2'),
		z.object({ instrument: z.literal(cssrs.id), items: cssrsItems })
	],
	{ error: `Choose an instrument: ${scaleIds.join(', ')}.` }
);
export type AdministrationInput = z.infer<typeof administrationInput>;
export type ScaleItemsInput = z.infer<(typeof numericScaleItems)[NumericScaleId]>;
export type CssrsItemsInput = z.infer<typeof cssrsItems>;
