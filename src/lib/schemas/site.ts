import { z } from 'zod';
import { isCountryCode } from '../domain/sdtm/countries';
import { reasonText } from './input';

export function isTimeZone(value: string): boolean {
	try {
		new Intl.DateTimeFormat('en', { timeZone: value });
		return true;
	} catch {
		return false;
	}
}

export const siteCode = z
	.string({ error: 'Enter a site code.' })
	.trim()
	.regex(/^[A-Z0-9][A-Z0-9-]{0,15}$/i, 'Use 1–16 letters, digits or dashes, such as 01 or OSL.')
	.transform((s) => s.toUpperCase());

export const siteInput = z.object({
	code: siteCode,
	name: z.string({ error: 'Enter the site name.' }).trim().min(1, 'Enter the site name.').max(200),
	timezone: z
		.string({ error: 'Enter a time zone.' })
		.trim()
		.refine(isTimeZone, 'Use an IANA time zone such as Europe/Oslo or America/New_York.'),
	/** SDTM DM.COUNTRY: ISO 3166-1 alpha-3; blank unsets it, absent leaves it as it is. */
	country: z
		.string({ error: 'Enter the country code.' })
		.trim()
		.toUpperCase()
		.refine(
			(s) => s === '' || isCountryCode(s),
			'Use the ISO 3166-1 three-letter code, such as NOR, USA or GBR.'
		)
		.transform((s) => (s === '' ? null : s))
		.nullable()
		.optional()
});
export type SiteInput = z.infer<typeof siteInput>;

export const siteUpdate = siteInput.omit({ code: true }).extend({
	reason: reasonText('Give a reason for the change.')
});
export type SiteUpdate = z.infer<typeof siteUpdate>;
