import { z } from 'zod';
import { siteDateTime } from './datetime';
import { optionalReasonText, plainNumber } from './input';

/** Largest single MDMA dose a form accepts: above any protocol's 120 + 60 mg, to catch typos. */
const MAX_DOSE_MG = 250;

const doseMg = (label: string) =>
	z.preprocess(
		plainNumber,
		z
			.number({ error: `Enter the ${label} in mg.` })
			.positive(`Enter the ${label} in mg.`)
			.max(MAX_DOSE_MG, `The ${label} must be at most ${MAX_DOSE_MG} mg; check the value.`)
	);

const optionalText = optionalReasonText;

const blankToUndefined = (v: unknown) => (v === '' || v === null ? undefined : v);

export function dosingSessionStart(timeZone: string) {
	return z.object({
		visitId: z.preprocess(
			plainNumber,
			z.number({ error: 'Choose the dosing visit.' }).int().positive('Choose the dosing visit.')
		),
		t0: siteDateTime(timeZone, 'the time of the initial dose (T0)'),
		initialDoseMg: doseMg('initial dose'),
		/** Why the session starts outside its window or out of order (a deviation is recorded). */
		deviationReason: optionalText
	});
}

/**
 * Later steps of a session: the supplemental dose (given with its time and amount, or not given
 * with a reason) and the end. Fields left out are not changed.
 */
/** Form fields `notDone.<minutes>` gathered into `notDone: { <minutes>: reason }`. */
function gatherNotDone(input: unknown): unknown {
	if (typeof input !== 'object' || input === null) return input;
	const o = input as Record<string, unknown>;
	const dotted = Object.entries(o).filter(([k]) => k.startsWith('notDone.'));
	if (dotted.length === 0) return input;
	const notDone = {
		...((o.notDone as Record<string, unknown> | undefined) ?? {}),
		...Object.fromEntries(dotted.map(([k, v]) => [k.slice('notDone.'.length), v]))
	};
	return {
		...Object.fromEntries(Object.entries(o).filter(([k]) => !k.startsWith('notDone.'))),
		notDone
	};
}

export function dosingSessionUpdate(timeZone: string) {
	return z.preprocess(gatherNotDone, dosingSessionUpdateObject(timeZone));
}

/** The fields of a session update (the API documents this shape). */
export function dosingSessionUpdateObject(timeZone: string) {
	return z
		.object({
			t0: z.preprocess(blankToUndefined, siteDateTime(timeZone, 'T0').optional()),
			initialDoseMg: z.preprocess(blankToUndefined, doseMg('initial dose').optional()),
			supplemental: z.enum(['pending', 'given', 'not-given']).optional(),
			supplementalDoseMg: z.preprocess(blankToUndefined, doseMg('supplemental dose').optional()),
			supplementalAt: z.preprocess(
				blankToUndefined,
				siteDateTime(timeZone, 'the supplemental dose time').optional()
			),
			supplementalNotGivenReason: optionalText,
			/** Giving the supplemental dose although a reading said hold it. */
			overrideReason: optionalText,
			endedAt: z.preprocess(blankToUndefined, siteDateTime(timeZone, 'the end time').optional()),
			/**
			 * Ending with scheduled readings missing: per timepoint (minutes from T0) the reason it
			 * was not done (SDTM VSREASND).
			 */
			notDone: z.record(z.string(), z.string()).optional(),
			/**
			 * Ask (409) before ending with scheduled readings missing. The session page always asks;
			 * an API client opts in with `"askMissing": true` or by sending `notDone`.
			 */
			askMissing: z
				.preprocess((v) => v === true || v === 'on' || v === 'true' || v === '1', z.boolean())
				.optional(),
			reason: optionalText
		})
		.superRefine((v, ctx) => {
			if (v.supplemental === 'given') {
				if (v.supplementalDoseMg === undefined) {
					ctx.addIssue({
						code: 'custom',
						path: ['supplementalDoseMg'],
						message: 'Enter the supplemental dose in mg.'
					});
				}
				if (v.supplementalAt === undefined) {
					ctx.addIssue({
						code: 'custom',
						path: ['supplementalAt'],
						message: 'Enter when the supplemental dose was given.'
					});
				}
			}
			if (v.supplemental === 'not-given' && (v.supplementalNotGivenReason ?? '').length < 3) {
				ctx.addIssue({
					code: 'custom',
					path: ['supplementalNotGivenReason'],
					message: 'Say why the supplemental dose was not given.'
				});
			}
		});
}
export type DosingSessionUpdate = z.infer<ReturnType<typeof dosingSessionUpdate>>;
