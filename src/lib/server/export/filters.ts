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

/**
 * The SDTM datasets, in the order a submission lists them (trial design, special purpose first),
 * then the supplemental qualifiers (SUPP--) of every subject domain: they hold the rest of any
 * text over 200 bytes (SDTMIG v3.4 §4.5.3.2), and are empty when no text is that long.
 */
export const SDTM_DOMAINS = [
	'TV',
	'DM',
	'SV',
	'DS',
	'EX',
	'CM',
	'AE',
	'DV',
	'VS',
	'QS',
	'SUPPDM',
	'SUPPSV',
	'SUPPDS',
	'SUPPEX',
	'SUPPCM',
	'SUPPAE',
	'SUPPDV',
	'SUPPVS',
	'SUPPQS'
] as const;
export type SdtmDomain = (typeof SDTM_DOMAINS)[number];

export function isSdtmDomain(value: string): value is SdtmDomain {
	return SDTM_DOMAINS.some((d) => d === value);
}

/** A SUPP-- dataset: rows only where some text of its parent was over 200 bytes. */
export const isSuppDomain = (d: SdtmDomain): boolean => d.startsWith('SUPP');
