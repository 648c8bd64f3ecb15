// The breaches a queued reading would raise, and the supplemental-dose hold they would call for,
// worked out on the device with the same pure rules the server runs (src/lib/domain/safety), so a
// nurse offline sees them at once. Provisional: the server evaluates every reading again as it
// arrives, and only its flags and its hold count. The page loads this module (with the domain
// rules and the shared Zod schema) with import() only once a reading waits in the queue.
import type { SafetyRules, VitalsTimepoint } from '../../domain/protocol';
import { evaluateSessionVitals, levelRank, supplementalHold } from '../../domain/safety';
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
	/** The supplemental dose is recorded (given or not given): no hold is shown any more. */
	supplementalDecided: boolean;
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

/** The queued readings the server would store, with the client key of each (by its id). */
function waitingReadings(sheet: RuleSheet, queued: readonly QueuedReading[]) {
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
	return { keyOf, waiting };
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
	const { keyOf, waiting } = waitingReadings(sheet, queued);
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

/**
 * What the "hold the supplemental dose" banner would say once the queued readings are stored: the
 * server's own gate (supplementalHold) over the stored and queued readings together, until `now`,
 * as the session page's load decides it. Only the findings of queued readings are returned: the
 * page already shows the server's. Nothing once the dose is recorded, as on the server.
 */
export function provisionalHold(
	sheet: RuleSheet,
	queued: readonly QueuedReading[],
	now: Date
): string[] {
	if (sheet.supplementalDecided) return [];
	const { keyOf, waiting } = waitingReadings(sheet, queued);
	if (waiting.length === 0) return [];
	return supplementalHold(
		{ t0: sheet.t0, readings: [...sheet.readings, ...waiting] },
		sheet.rules,
		now
	)
		.filter((h) => keyOf.has(h.sourceId))
		.map((h) => h.message);
}
