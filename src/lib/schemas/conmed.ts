import { z } from 'zod';
import { ATC_CODE_PATTERN } from '../domain/conmeds/atc';

const blankToUndefined = (v: unknown) => (v === '' || v === null ? undefined : v);
const optionalText = (max: number) =>
	z.preprocess(blankToUndefined, z.string().trim().max(max).optional());

/** CMSTDTC/CMENDTC allow partial ISO dates (SDTMIG): 2026, 2026-05 or 2026-05-14. */
const partialDate = (label: string) =>
	z
		.string({ error: `Enter the ${label} date.` })
		.trim()
		.regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, `Enter the ${label} as YYYY-MM-DD, YYYY-MM or YYYY.`)
		.refine((s) => {
			const [y, m, d] = s.split('-').map(Number) as [number, number?, number?];
			if (m !== undefined && (m < 1 || m > 12)) return false;
			if (d !== undefined && new Date(Date.UTC(y, m! - 1, d)).getUTCDate() !== d) return false;
			return y >= 1900;
		}, `Enter a real ${'date'}.`);

export const CONMED_ROUTES = [
	'ORAL',
	'SUBLINGUAL',
	'INTRAVENOUS',
	'INTRAMUSCULAR',
	'SUBCUTANEOUS',
	'TOPICAL',
	'TRANSDERMAL',
	'INHALATION',
	'NASAL',
	'RECTAL',
	'OTHER'
] as const;

export const conmedInput = z
	.object({
		name: z
			.string({ error: 'Enter the medication as written.' })
			.trim()
			.min(2, 'Enter the medication as written.')
			.max(200),
		ingredient: z.preprocess(blankToUndefined, z.string().trim().toLowerCase().max(80).optional()),
		atcCode: z.preprocess(
			(v) => (typeof v === 'string' ? v.trim().toUpperCase() || undefined : v),
			z.string().regex(ATC_CODE_PATTERN, 'An ATC code such as N06AB or N06AB06.').optional()
		),
		dose: z.preprocess(
			blankToUndefined,
			z.coerce.number().positive('Enter a dose above 0.').max(100000).optional()
		),
		doseUnit: optionalText(20),
		frequency: optionalText(40),
		route: z.preprocess(blankToUndefined, z.enum(CONMED_ROUTES).optional()),
		indication: optionalText(200),
		start: partialDate('start'),
		stop: z.preprocess(blankToUndefined, partialDate('stop').optional()),
		reason: z.string().optional()
	})
	.superRefine((v, ctx) => {
		if (v.stop && v.stop.slice(0, v.start.length) < v.start.slice(0, v.stop.length)) {
			ctx.addIssue({
				code: 'custom',
				path: ['stop'],
				message: 'The stop date is before the start.'
			});
		}
		if (v.dose !== undefined && !v.doseUnit) {
			ctx.addIssue({
				code: 'custom',
				path: ['doseUnit'],
				message: 'Give the unit (mg, µg, mL …).'
			});
		}
	});
export type ConmedInput = z.infer<typeof conmedInput>;
