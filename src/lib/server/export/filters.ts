// The filters of an export, as query strings carry them: a page's GET form sends every field,
// empty ones as '', which mean "no filter".
import { z } from 'zod';

const blankToUndefined = (v: unknown) => (v === '' || v === null ? undefined : v);

const id = (what: string) =>
	z.preprocess(
		blankToUndefined,
		z.coerce
			.number({ error: `Give the ${what} id as a number.` })
			.int()
			.positive()
			.optional()
	);

const day = z.preprocess(
	blankToUndefined,
	z
		.string()
		.regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter a date as YYYY-MM-DD.')
		.refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), 'Enter a real date.')
		.optional()
);

export const exportFiltersInput = z
	.object({ siteId: id('site'), studyId: id('study'), from: day, to: day })
	.refine((f) => !f.from || !f.to || f.from <= f.to, {
		path: ['to'],
		message: 'The end date comes on or after the start date.'
	});

export type ExportFilters = z.infer<typeof exportFiltersInput>;

/** The SDTM datasets, in the order a submission lists them (trial design, special purpose first). */
export const SDTM_DOMAINS = ['TV', 'DM', 'SV', 'DS', 'EX', 'CM', 'AE', 'DV', 'VS', 'QS'] as const;
export type SdtmDomain = (typeof SDTM_DOMAINS)[number];

export function isSdtmDomain(value: string): value is SdtmDomain {
	return SDTM_DOMAINS.some((d) => d === value);
}
