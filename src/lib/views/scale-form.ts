// The scale entry form's field names and values, shared by the pages' actions (form → service
// input) and the components (saved answers → fields; live total). Field names: `items.<key>` for an
// answer, `qualifier.<key>` for HAM-D 16's part or BDI-II 16/18's direction letter.
import {
	cssrs,
	cssrsKeys,
	isScaleId,
	numericInstruments,
	scoreAdministration,
	type AdministrationScore,
	type ItemAnswer,
	type ItemDef,
	type ScaleId
} from '$lib/domain/scales';
import { administrationInput } from '$lib/schemas/scales';

export type FormValues = Record<string, string>;

/** A visit the administration may belong to, with the scales the protocol gives there. */
export interface VisitOption {
	id: number;
	code: string;
	label: string;
	plannedOn: string | null;
	scales: readonly string[];
}

/** What a failed action echoes back (`echo` in server/http.ts), as single field values. */
export function valuesOf(echoed: Record<string, string | string[]> | undefined): FormValues {
	const out: FormValues = {};
	for (const [name, value] of Object.entries(echoed ?? {})) {
		out[name] = Array.isArray(value) ? (value[0] ?? '') : value;
	}
	return out;
}

export const itemField = (key: string) => `items.${key}`;
export const qualifierField = (key: string) => `qualifier.${key}`;
/** Element ids may not hold dots in CSS selectors, so ids use dashes. */
export const itemId = (key: string) => `items-${key}`;

/** Every answer key of an instrument, in form order. */
export function keysOf(instrument: ScaleId): string[] {
	if (instrument === 'CSSRS') return [...cssrsKeys];
	return numericInstruments[instrument].items.map((item) => String(item.number));
}

function qualifierOf(instrument: ScaleId, key: string): ItemDef['qualifier'] {
	if (instrument === 'CSSRS') return undefined;
	const items: readonly ItemDef[] = numericInstruments[instrument].items;
	return items.find((item) => String(item.number) === key)?.qualifier;
}

/** One answer as the domain reads it: HAM-D part before the digit ('A1'), BDI-II letter after. */
function answerOf(instrument: ScaleId, key: string, get: (name: string) => string): string {
	const score = get(itemField(key)).trim();
	const letter = get(qualifierField(key)).trim();
	if (score === '' || letter === '') return score;
	return qualifierOf(instrument, key) === 'hamd-part' ? `${letter}${score}` : `${score}${letter}`;
}

export function itemsFromValues(instrument: ScaleId, values: FormValues): Record<string, string> {
	const get = (name: string) => values[name] ?? '';
	return Object.fromEntries(keysOf(instrument).map((key) => [key, answerOf(instrument, key, get)]));
}

function text(form: FormData, name: string): string {
	const value = form.get(name);
	return typeof value === 'string' ? value : '';
}

/** A submitted entry or correction form as the scale services take it. */
export function scaleFormInput(form: FormData) {
	const instrument = text(form, 'instrument');
	const values: FormValues = {};
	for (const [name, value] of form) if (typeof value === 'string') values[name] = value;
	return {
		instrument,
		visitId: text(form, 'visitId'),
		administeredAt: text(form, 'administeredAt'),
		incomplete: form.get('incomplete') === 'on',
		items: isScaleId(instrument) ? itemsFromValues(instrument, values) : {},
		reason: form.get('reason') ?? undefined,
		version: text(form, 'version')
	};
}

function fieldsOfAnswer(instrument: ScaleId, key: string, answer: ItemAnswer): FormValues {
	if (typeof answer === 'boolean') return { [itemField(key)]: answer ? 'yes' : 'no' };
	const raw = String(answer);
	const letter = /[a-z]/i.exec(raw)?.[0];
	if (!letter || !qualifierOf(instrument, key)) return { [itemField(key)]: raw };
	return { [itemField(key)]: raw.replace(letter, ''), [qualifierField(key)]: letter };
}

/** Saved answers back into form fields, for the correction form. */
export function valuesFromAnswers(
	instrument: ScaleId,
	answers: Record<string, ItemAnswer>
): FormValues {
	const values: FormValues = {};
	for (const [key, answer] of Object.entries(answers)) {
		Object.assign(values, fieldsOfAnswer(instrument, key, answer));
	}
	return values;
}

export type LiveScore =
	{ kind: 'score'; score: AdministrationScore } | { kind: 'invalid'; items: string[] };

/** The score as the server will compute it, with the same schema and domain function. */
export function liveScore(instrument: ScaleId, values: FormValues): LiveScore {
	const parsed = administrationInput.safeParse({
		instrument,
		items: itemsFromValues(instrument, values)
	});
	if (!parsed.success) {
		return { kind: 'invalid', items: parsed.error.issues.map((i) => String(i.path[1] ?? '')) };
	}
	return { kind: 'score', score: scoreAdministration(parsed.data.instrument, parsed.data.items) };
}

/** The short name a form shows for a C-SSRS answer key. */
export function cssrsLabel(key: string): string {
	const ideation = cssrs.ideation.find((i) => i.key === key);
	if (ideation) return `Type ${ideation.type}: ${ideation.label}`;
	const other = [...cssrs.behaviour, cssrs.selfInjury, ...cssrs.intensity].find(
		(x) => x.key === key
	);
	return other?.label ?? key;
}
