// The filters of an export, as query strings carry them: a page's GET form sends every field,
// empty ones as '', which mean "no filter".
import { z } from 'zod';
import { day, daysInOrder, positive } from '../../schemas/query';

export const exportFiltersInput = z
	.object({ siteId: positive('site id'), studyId: positive('study id'), from: day, to: day })
	.refine(...daysInOrder);

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
