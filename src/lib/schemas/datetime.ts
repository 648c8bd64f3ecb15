import { z } from 'zod';
import { parseSiteDateTime } from '../domain/time';
import { instantProblem } from './input';

const REASONS: Record<string, string> = {
	format: 'Enter a date and time (YYYY-MM-DD HH:mm).',
	calendar: 'Enter a real date and time.',
	'no-time-zone': 'Enter a date and time with its time zone.',
	nonexistent: 'This local time does not exist (the clocks went forward); check the time.'
};

/** A date-time typed at the site (datetime-local, or ISO with offset) → the instant it names. */
export function siteDateTime(timeZone: string, label = 'a date and time') {
	return z
		.string({ error: `Enter ${label}.` })
		.trim()
		.min(1, `Enter ${label}.`)
		.transform((text, ctx) => {
			const result = parseSiteDateTime(text.replace(' ', 'T'), timeZone);
			if (!result.ok) {
				ctx.addIssue({ code: 'custom', message: REASONS[result.reason] ?? REASONS.format! });
				return z.NEVER;
			}
			const implausible = instantProblem(result.instant);
			if (implausible) {
				ctx.addIssue({ code: 'custom', message: implausible });
				return z.NEVER;
			}
			return result.instant;
		});
}
