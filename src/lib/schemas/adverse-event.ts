import { z } from 'zod';
import {
	actionsTaken,
	adverseEventIssues,
	expectednessValues,
	findCodedTerm,
	intensities,
	isCtcaeGrade,
	outcomes,
	relatednessScale,
	seriousnessCriteria,
	type SeriousnessCriterion,
	type Severity,
	type SeverityScale
} from '../domain/adverse-events';
import { assertTimeZone, parseSiteDateTime } from '../domain/time';

export interface AdverseEventInputOptions {
	/** The protocol's severity scale; a study grades every AE on one scale. */
	severityScale: SeverityScale;
	/** The present instant; date-times after it are rejected. */
	now: Date;
	/** The site's IANA zone, for datetime-local values without an offset ('2025-03-14T09:30'). */
	timeZone?: string;
}

/** Form fields arrive as '' when left empty; treat that as not given. */
const blankToUndefined = (value: unknown) =>
	typeof value === 'string' && value.trim() === '' ? undefined : value;

function siteDateTime(label: string, timeZone: string | undefined) {
	const messages = {
		format: `Enter the ${label} as a date and time, such as 2025-03-14T09:30.`,
		calendar: `The ${label} is not a real date and time.`,
		'no-time-zone': `Give the ${label} with a time-zone offset, such as 2025-03-14T09:30+01:00.`,
		nonexistent: `The ${label} falls in the hour skipped when the clocks went forward in ${timeZone ?? 'the site'}.`
	};
	return z.string({ error: `Enter the ${label}.` }).transform((text, ctx) => {
		const parsed = parseSiteDateTime(text, timeZone);
		if (parsed.ok) return parsed.instant;
		ctx.addIssue({ code: 'custom', message: messages[parsed.reason] });
		return z.NEVER;
	});
}

function severityField(scale: SeverityScale): z.ZodType<Severity> {
	if (scale === 'ctcae') {
		const message = 'Choose a CTCAE grade from 1 (mild) to 5 (death).';
		return z.unknown().transform((value, ctx): Severity => {
			const grade = typeof value === 'string' && /^\d$/.test(value.trim()) ? Number(value) : value;
			if (isCtcaeGrade(grade)) return { scale: 'ctcae', grade };
			ctx.addIssue({ code: 'custom', message });
			return z.NEVER;
		});
	}
	return z
		.enum(intensities, { error: 'Choose mild, moderate or severe.' })
		.transform((intensity): Severity => ({ scale: 'mild-moderate-severe', intensity }));
}

/** A yes/no answer: true/false, or 'yes'/'no'/'true'/'false'/'on' from a form. Never implied. */
const yesNo = z.preprocess(
	(value) => {
		if (typeof value !== 'string') return value;
		const answer = value.trim().toLowerCase();
		if (['yes', 'true', 'on'].includes(answer)) return true;
		if (['no', 'false'].includes(answer)) return false;
		return value;
	},
	z.boolean({ error: 'Answer yes or no.' })
);

const criteriaField = z.object(
	Object.fromEntries(seriousnessCriteria.map((criterion) => [criterion, yesNo])) as Record<
		SeriousnessCriterion,
		typeof yesNo
	>,
	{ error: 'Answer each seriousness criterion.' }
);

const codedTermCode = z.preprocess(
	blankToUndefined,
	z
		.string()
		.optional()
		.transform((code, ctx) => {
			if (code === undefined) return undefined;
			const term = findCodedTerm(code);
			if (term) return term.code;
			ctx.addIssue({
				code: 'custom',
				message: 'Choose a coded term from the list, or leave it empty.'
			});
			return z.NEVER;
		})
);

const dosingSessionId = z.preprocess(
	(value) => {
		const given = blankToUndefined(value);
		return typeof given === 'string' && /^\s*\d+\s*$/.test(given) ? Number(given) : given;
	},
	z
		.number({ error: 'Choose a dosing session.' })
		.int()
		.positive('Choose a dosing session.')
		.optional()
);

const choice = <T extends readonly [string, ...string[]]>(values: T, message: string) =>
	z.enum(values, { error: message });

/**
 * The AE form and API input for one protocol's severity scale, with cross-field rules (dates,
 * outcome, death, grade 5) reported on the fields concerned.
 */
export function adverseEventInput(options: AdverseEventInputOptions) {
	const { severityScale, now, timeZone } = options;
	if (timeZone) assertTimeZone(timeZone);
	return z
		.object({
			verbatimTerm: z
				.string({ error: 'Enter the event in the reporter’s words.' })
				.trim()
				.min(1, 'Enter the event in the reporter’s words.')
				.max(500, 'Keep the verbatim term under 500 characters.'),
			codedTermCode,
			onsetAt: siteDateTime('onset', timeZone),
			endAt: z.preprocess(blankToUndefined, siteDateTime('end', timeZone).optional()),
			awareAt: siteDateTime('date the site became aware', timeZone),
			severity: severityField(severityScale),
			criteria: criteriaField,
			relatedness: choice(relatednessScale, 'Choose the relatedness to the study drug.'),
			expectedness: choice(expectednessValues, 'Choose expected or unexpected.'),
			actionTaken: choice(actionsTaken, 'Choose the action taken with the study drug.'),
			outcome: choice(outcomes, 'Choose the outcome.'),
			dosingSessionId,
			notes: z.preprocess(
				blankToUndefined,
				z.string().trim().max(5000, 'Keep the notes under 5000 characters.').optional()
			)
		})
		.superRefine((ae, ctx) => {
			for (const issue of adverseEventIssues(ae, now)) {
				ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
			}
		});
}

export type AdverseEventInputSchema = ReturnType<typeof adverseEventInput>;
export type AdverseEventInput = z.infer<AdverseEventInputSchema>;
