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
		initialDoseMg: doseMg('initial dose')
	});
}

/**
 * Later steps of a session: the supplemental dose (given with its time and amount, or not given
 * with a reason) and the end. Fields left out are not changed.
 */
export function dosingSessionUpdate(timeZone: string) {
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
