import { z } from 'zod';
import { parseSiteDateTime, wallClockToInstant } from '../domain/adverse-events/site-time';
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

const DAY = 86_400_000;

/**
 * A clock time ('HH:mm') typed on a session grid: the instant with that local time nearest to
 * `reference` (the scheduled time), so a session that runs past midnight needs no date.
 */
export function clockTimeNear(text: string, timeZone: string, reference: Date): Date | null {
	const m = /^(\d{1,2})[:.](\d{2})$/.exec(text.trim());
	if (!m) return null;
	const hour = Number(m[1]);
	const minute = Number(m[2]);
	if (hour > 23 || minute > 59) return null;
	let best: Date | null = null;
	for (const shift of [-DAY, 0, DAY]) {
		const day = new Date(reference.getTime() + shift);
		const local = new Intl.DateTimeFormat('en-CA', {
			timeZone,
			year: 'numeric',
			month: '2-digit',
			day: '2-digit'
		}).format(day);
		const [y, mo, d] = local.split('-').map(Number) as [number, number, number];
		const resolved = wallClockToInstant(Date.UTC(y, mo - 1, d, hour, minute), timeZone);
		if (!resolved) continue;
		const candidate = new Date(resolved.instant);
		if (
			!best ||
			Math.abs(candidate.getTime() - reference.getTime()) <
				Math.abs(best.getTime() - reference.getTime())
		) {
			best = candidate;
		}
	}
	return best;
}
