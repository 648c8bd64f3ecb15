// How a late-reading flag closes: the reading arrived (when, planned when, how late), or it was
// recorded as not done (and why). The flag keeps this as its outcome, so its history says how
// late the reading was, not merely that the condition went away.
import { RULE_IDS } from '../protocol/rule-ids';
import {
	addMinutes,
	isInEffect,
	latenessText,
	readingLateness,
	type VitalsReading
} from '../vitals';
import { cachedFormat } from '../time/zone';
import type { SessionFacts } from './vitals';

const HOUR_MINUTE = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const;

/** 'HH:mm' at the site, with its formatter built once per zone (every save asks). */
function clock(at: Date | string, timeZone: string): string {
	return cachedFormat('en-GB', timeZone, HOUR_MINUTE).format(new Date(at));
}

/** The missed-reading flag key of a timepoint (as missedFlags builds it). */
export function missedReadingKey(sessionId: number, vstptnum: number): string {
	return `${RULE_IDS.missedReading}|dosing_session:${sessionId}|tp:${vstptnum}`;
}

/**
 * For each scheduled timepoint answered by a reading in effect: the outcome its late-reading flag
 * closes with, by flag key. Times in the site's zone.
 */
export function missedReadingOutcomes(
	facts: SessionFacts,
	timeZone: string,
	toleranceMinutes: number
): Map<string, string> {
	const out = new Map<string, string>();
	for (const tp of facts.timepoints) {
		const r = facts.readings.find(
			(x: VitalsReading) => isInEffect(x) && x.timepointNumber === tp.vstptnum
		);
		if (!r) continue;
		const key = missedReadingKey(facts.sessionId, tp.vstptnum);
		if (r.notDone) {
			out.set(key, `the ${tp.vstpt} reading was recorded as not done: ${r.notDone}.`);
			continue;
		}
		const planned =
			tp.minutes === 'end'
				? facts.endedAt
					? new Date(facts.endedAt)
					: null
				: addMinutes(facts.t0, tp.minutes);
		if (!planned) continue;
		const late = readingLateness(planned, r.takenAt, toleranceMinutes);
		out.set(
			key,
			`the ${tp.vstpt} reading arrived, measured at ${clock(r.takenAt, timeZone)} ` +
				`(planned ${clock(planned, timeZone)}, ${latenessText(late)}).`
		);
	}
	return out;
}
