// The breaches a queued reading would raise, worked out on the device with the same pure rules
// the server runs (src/lib/domain/safety), so a nurse offline sees them at once. Provisional: the
// server evaluates every reading again as it arrives, and only its flags reach the investigator.
import type { SafetyRules, VitalsTimepoint } from '../../domain/protocol';
import { evaluateSessionVitals, levelRank } from '../../domain/safety';
import { checkPlausibility, measuredTime, type VitalsReading } from '../../domain/vitals';
import { vitalsEntryInput } from '../../schemas/vitals';
import type { QueuedReading } from './reading-queue';

/** What the rules need of a session, as its page was loaded (also in the device's copy). */
export interface RuleSheet {
	sessionId: number;
	timeZone: string;
	t0: string;
	endedAt: string | null;
	expectedDurationMinutes: number;
	timepoints: VitalsTimepoint[];
	rules: SafetyRules;
	/** The session's stored readings, as the rules see them (entered-in-error ones marked). */
	readings: Array<VitalsReading & { id: number }>;
}

export interface ProvisionalFlag {
	level: string;
	message: string;
}

/** A queued reading as the server would store it, or null when the server would refuse it. */
function asReading(
	sheet: RuleSheet,
	item: QueuedReading,
	id: number
): (VitalsReading & { id: number }) | null {
	const parsed = vitalsEntryInput.safeParse(item.fields);
	if (!parsed.success) return null;
	const v = parsed.data;
	const timepoint =
		v.timepoint === 'unscheduled' ? null : sheet.timepoints.find((t) => t.minutes === v.timepoint);
	if (timepoint === undefined) return null;
	const t0 = Date.parse(sheet.t0);
	const planned =
		timepoint === null
			? new Date(item.queuedAt)
			: timepoint.minutes === 'end'
				? new Date(
						sheet.endedAt ? Date.parse(sheet.endedAt) : t0 + sheet.expectedDurationMinutes * 60_000
					)
				: new Date(t0 + timepoint.minutes * 60_000);
	const time = measuredTime(v.takenAt, {
		timeZone: sheet.timeZone,
		near: planned,
		now: new Date(item.queuedAt)
	});
	const values = checkPlausibility(v);
	if (!time.ok || !values.ok) return null;
	return {
		id,
		takenAt: time.instant,
		...values.values,
		timepointNumber: timepoint?.vstptnum ?? null
	};
}

/**
 * The flags each queued reading would raise, by its client key: the session's stored readings
 * and every queued one (in queue order) go through the rules together, as they will on the server.
 */
export function provisionalFlags(
	sheet: RuleSheet,
	queued: readonly QueuedReading[],
	now: Date
): Record<string, ProvisionalFlag[]> {
	const keyOf = new Map<number, string>();
	const waiting: Array<VitalsReading & { id: number }> = [];
	// Negative ids: never a stored reading's, and in queue order like the ids the server will give.
	const base = -1_000_000;
	for (const [i, item] of queued.entries()) {
		if (item.sessionId !== sheet.sessionId || item.refused) continue;
		const reading = asReading(sheet, item, base + i);
		if (!reading) continue;
		keyOf.set(reading.id, item.clientKey);
		waiting.push(reading);
	}
	const out: Record<string, ProvisionalFlag[]> = {};
	if (waiting.length === 0) return out;
	const candidates = evaluateSessionVitals(
		{
			sessionId: sheet.sessionId,
			t0: sheet.t0,
			endedAt: sheet.endedAt,
			readings: [...sheet.readings, ...waiting],
			timepoints: sheet.timepoints
		},
		sheet.rules,
		now
	);
	// The most severe first, as a nurse should read them.
	const bySeverity = [...candidates].sort((a, b) => levelRank(b.level) - levelRank(a.level));
	for (const c of bySeverity) {
		const key = c.sourceType === 'vital_reading' ? keyOf.get(c.sourceId) : undefined;
		if (key) (out[key] ??= []).push({ level: c.level, message: c.message });
	}
	return out;
}
