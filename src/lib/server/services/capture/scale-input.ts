// Reading a scale administration as entered: where and when it was given, the answers through the
// shared Zod schema, and the rule that a partial form is kept only when the user says it is
// incomplete (DOMAIN.md §2: no total without every scored item), so a skipped item is never
// mistaken for a finished form.
import { z } from 'zod';
import { plainNumber } from '../../../schemas/input';
import { CLOCK_SKEW_MS, parseSiteDateTime } from '../../../domain/time';
import {
	cssrs,
	scoreAdministration,
	type AdministrationScore,
	type ItemAnswer,
	type ScaleId
} from '../../../domain/scales';
import { fieldErrorsOf } from '../../../schemas/parse';
import { administrationInput } from '../../../schemas/scales';
import { ValidationError, type FieldErrors } from '../../runtime/errors';
import { refuseNul } from '../../runtime/validate';

export interface AdministrationEntry {
	instrument: ScaleId;
	visitId: number | null;
	/** ISO 8601, UTC. */
	administeredAt: string;
	/** Answered items only, in their stored form (see canonicalAnswer in the domain). */
	answers: Record<string, ItemAnswer>;
	score: AdministrationScore;
	/** The version the user saw, when the form sent it (corrections). */
	version: number | null;
	reason: unknown;
}

/** A checkbox or a JSON flag: "Save as incomplete". */
const isTicked = (v: unknown) => v === true || v === 'on' || v === 'true';

const blank = (v: unknown) => (v === '' || v === null ? undefined : v);

const envelope = z.object({
	visitId: z.preprocess(
		blank,
		z.preprocess(
			plainNumber,
			z.number({ error: 'Choose a visit.' }).int().positive('Choose a visit.').optional()
		)
	),
	administeredAt: z
		.string({ error: 'Enter when the scale was given.' })
		.trim()
		.min(1, 'Enter when the scale was given.'),
	incomplete: z.unknown().optional().transform(isTicked),
	version: z.preprocess((v) => plainNumber(blank(v)), z.number().int().positive().optional()),
	reason: z.unknown().optional()
});

const TIME_ERRORS: Record<string, string> = {
	format: 'Enter the date and time, such as 2026-10-01 14:30.',
	calendar: 'Enter a real date and time.',
	'no-time-zone': 'Enter the date and time with its time zone.',
	nonexistent: 'This local time does not exist (the clocks went forward); check the time.'
};

/** Clocks on site machines drift a little; further ahead than this is a typing error. */
const FUTURE_TOLERANCE_MS = CLOCK_SKEW_MS;

function instantOf(text: string, timeZone: string, now: Date, errors: FieldErrors): string | null {
	const parsed = parseSiteDateTime(text.replace(' ', 'T'), timeZone);
	if (!parsed.ok) {
		errors.administeredAt = [TIME_ERRORS[parsed.reason] ?? TIME_ERRORS.format!];
		return null;
	}
	if (parsed.instant.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) {
		errors.administeredAt = ['This time has not come yet; enter when the scale was given.'];
		return null;
	}
	return parsed.instant.toISOString();
}

/** How the form names a C-SSRS question; numeric items are "Item N". */
function itemName(instrument: ScaleId, key: string): string {
	if (instrument !== 'CSSRS') return `Item ${key}`;
	const ideation = cssrs.ideation.find((i) => i.key === key);
	if (ideation) return `Ideation type ${ideation.type}`;
	return [...cssrs.behaviour, cssrs.selfInjury].find((b) => b.key === key)?.label ?? key;
}

function missingErrors(score: AdministrationScore): FieldErrors {
	const errors: FieldErrors = {};
	for (const key of score.missingItems.map(String)) {
		errors[`items.${key}`] = [
			`${itemName(score.instrument, key)}: enter an answer, or tick "Save as incomplete".`
		];
	}
	return errors;
}

/**
 * When some answers cannot be read, the score of the others: so one round of messages names
 * the unanswered items too, not only the unreadable ones.
 */
function scoreOfValidAnswers(
	raw: Record<string, unknown>,
	errors: FieldErrors
): AdministrationScore | null {
	if (typeof raw.items !== 'object' || raw.items === null) return null;
	const bad = new Set(Object.keys(errors).map((name) => name.replace(/^items\./, '')));
	const rest = Object.entries(raw.items).filter(([key]) => !bad.has(key));
	const again = administrationInput.safeParse({
		instrument: raw.instrument,
		items: Object.fromEntries(rest)
	});
	return again.success ? scoreAdministration(again.data.instrument, again.data.items) : null;
}

function asRecord(input: unknown): Record<string, unknown> {
	if (typeof input !== 'object' || input === null || Array.isArray(input)) {
		throw new ValidationError({ '': ['Give the administration.'] });
	}
	return input as Record<string, unknown>;
}

/**
 * Reads and scores one administration; throws a ValidationError naming every field at fault
 * (each missing item, when the form is not marked incomplete).
 */
export function readAdministration(
	input: unknown,
	timeZone: string,
	now: Date
): AdministrationEntry {
	const raw = asRecord(input);
	refuseNul(raw);
	const env = envelope.safeParse(raw);
	const adm = administrationInput.safeParse({ instrument: raw.instrument, items: raw.items });
	const errors: FieldErrors = {
		...(env.success ? {} : fieldErrorsOf(env.error)),
		...(adm.success ? {} : fieldErrorsOf(adm.error))
	};
	const administeredAt = env.success
		? instantOf(env.data.administeredAt, timeZone, now, errors)
		: null;
	const score = adm.success ? scoreAdministration(adm.data.instrument, adm.data.items) : null;
	const partial = score ?? scoreOfValidAnswers(raw, errors);
	if (adm.success && Object.keys(adm.data.items).length === 0) {
		errors.items = ['Enter at least one answer.'];
	} else if (partial && !partial.complete && !isTicked(raw.incomplete)) {
		for (const [key, messages] of Object.entries(missingErrors(partial))) errors[key] ??= messages;
	}
	if (Object.keys(errors).length > 0 || !env.success || !adm.success || !score) {
		throw new ValidationError(errors);
	}
	return {
		instrument: adm.data.instrument,
		visitId: env.data.visitId ?? null,
		administeredAt: administeredAt!,
		answers: adm.data.items,
		score,
		version: env.data.version ?? null,
		reason: env.data.reason
	};
}
