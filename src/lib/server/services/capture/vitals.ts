// Vital signs in a dosing session: one reading at a time from the grid, corrections and
// entered-in-error, and batches from a bedside monitor.
import {
	checkPlausibility,
	lastValuesBefore,
	measuredTime,
	softCheckWarnings,
	type TemperatureUnit,
	type VitalsFieldWarnings,
	type VitalsReading
} from '../../../domain/vitals';
import { isInFuture } from '../../../domain/time';
import type { VitalsTimepoint } from '../../../domain/protocol';
import { fieldErrorsOf } from '../../../schemas/parse';
import { vitalsBatchInput, vitalsEntryInput, type VitalsEntryInput } from '../../../schemas/vitals';
import { AUDIT_ACTIONS } from '../../audit/actions';
import { appendAudit } from '../../audit/log';
import { camelKeys } from '../../audit/payloads';
import type { ServiceContext } from '../../runtime/context';
import type { Trx } from '../../db';
import type { VitalReading } from '../../db/schema';
import { writeTransaction } from '../../db/transaction';
import {
	ConflictError,
	NotFoundError,
	ServiceError,
	TooLargeError,
	ValidationError,
	type FieldErrors
} from '../../runtime/errors';
import { DEFAULT_CAPTURE_LIMITS } from '../../runtime/config';
import * as repo from '../../repositories/dosing-sessions';
import { parseInput } from '../../runtime/validate';
import { changeOf, strikeRecord, requireReason, requireReasonFor } from './corrections';
import { createdStamp, updatedStamp } from './stamps';
import {
	loadSession,
	loadSessionForWrite,
	type SessionContext,
	type SessionWriteContext
} from './dosing-sessions';
import { toDomainReading, UNSCHEDULED } from './vital-readings';
import { sessionChanged } from './session-changes';
import { keepRecordSdv } from '../monitoring/sdv-summary';
import { sdvSettingsOf } from '../monitoring/sdv-status';

/** Values that ask for confirmation before saving (not refusals). */
export class ConfirmationNeeded extends ServiceError {
	constructor(readonly warnings: VitalsFieldWarnings) {
		super(409, 'Please check these values and confirm them.');
	}
}

interface Resolved {
	timepoint: VitalsTimepoint | null;
	takenAt: Date;
}

/** Which timepoint, and when: a clock time is read as the one nearest the scheduled time. */
function resolveTime(s: SessionContext, v: VitalsEntryInput, now: Date): Resolved {
	const timepoints = s.protocol.dosingSession.vitalsTimepoints;
	const timepoint =
		v.timepoint === 'unscheduled'
			? null
			: (timepoints.find((t) => t.minutes === v.timepoint) ?? undefined);
	if (timepoint === undefined) {
		throw new ValidationError({ timepoint: ['This protocol has no such timepoint.'] });
	}
	const t0 = Date.parse(s.session.t0);
	const expected =
		timepoint === null
			? now
			: timepoint.minutes === 'end'
				? new Date(
						s.session.ended_at
							? Date.parse(s.session.ended_at)
							: t0 + s.protocol.dosingSession.expectedDurationMinutes * 60_000
					)
				: new Date(t0 + timepoint.minutes * 60_000);
	// What the person typed, or the moment of saving; never the planned time (ALCOA+).
	const measured = measuredTime(v.takenAt, { timeZone: s.site.timezone, near: expected, now });
	if (!measured.ok) throw new ValidationError({ takenAt: [measured.error] });
	const takenAt = measured.instant;
	if (isInFuture(takenAt, now)) {
		throw new ValidationError({ takenAt: ['This time is in the future.'] });
	}
	// [D] The pre-dose baseline is taken about 30 minutes before T0 (DOMAIN.md §1); a time hours
	// earlier is a mistyped hour or date, not a reading of this session.
	if (takenAt.getTime() < t0 - 6 * 3_600_000) {
		throw new ValidationError({
			takenAt: ['This is more than 6 hours before T0; check the time.']
		});
	}
	return { timepoint, takenAt };
}

interface Checked {
	values: {
		systolic: number | null;
		diastolic: number | null;
		heart_rate: number | null;
		temperature_c: number | null;
		/** As typed, in the unit typed (temperature_c is the same in °C). */
		temperature_value: number | null;
		temperature_unit: TemperatureUnit | null;
	};
	warnings: VitalsFieldWarnings;
}

function checkValues(
	v: VitalsEntryInput,
	previous: VitalsReading[],
	takenAt: Date,
	s: SessionContext
): Checked {
	const plausible = checkPlausibility({
		systolic: v.systolic,
		diastolic: v.diastolic,
		heartRate: v.heartRate,
		temperature: v.temperature,
		temperatureUnit: v.temperatureUnit
	});
	if (!plausible.ok) {
		throw new ValidationError(
			Object.fromEntries(Object.entries(plausible.errors).map(([k, m]) => [k, [m]]))
		);
	}
	const { values } = plausible;
	if (Object.values(values).every((x) => x === null)) {
		throw new ValidationError({ systolic: ['Enter at least one value.'] });
	}
	const warnings = softCheckWarnings(
		values,
		lastValuesBefore(previous, takenAt),
		s.protocol.dosingSession.softChecks
	);
	return {
		values: {
			systolic: values.systolic,
			diastolic: values.diastolic,
			heart_rate: values.heartRate,
			temperature_c: values.temperature,
			temperature_value: v.temperature ?? null,
			temperature_unit:
				v.temperature === null || v.temperature === undefined ? null : v.temperatureUnit
		},
		warnings
	};
}

/**
 * A write to one session's readings: the session, participant, site and protocol, and every
 * reading (entered in error too), loaded once at the start and kept current as rows are added,
 * so a batch costs time linear in its size and the safety rules need no second read.
 */
interface SessionWrite {
	s: SessionWriteContext;
	/** In (measured_at, id) order, as the repository lists them. */
	readings: VitalReading[];
}

async function openSessionWrite(
	ctx: ServiceContext,
	trx: Trx,
	sessionId: number
): Promise<SessionWrite> {
	const s = await loadSessionForWrite(ctx, trx, sessionId);
	return { s, readings: await repo.listReadings(trx, sessionId, true) };
}

const inOrder = (readings: VitalReading[]) =>
	readings.sort((a, b) =>
		a.measured_at < b.measured_at ? -1 : a.measured_at > b.measured_at ? 1 : a.id - b.id
	);

/** Unscheduled readings are rechecks; a session with hundreds is a runaway sender. */
function checkUnscheduledRoom(ctx: ServiceContext, existing: VitalReading[]): void {
	const max = (ctx.limits ?? DEFAULT_CAPTURE_LIMITS).maxUnscheduledReadings;
	const unscheduled = existing.filter((r) => r.timepoint_label === UNSCHEDULED).length;
	if (unscheduled >= max) {
		throw new ValidationError({
			timepoint: [
				`This session holds ${unscheduled} unscheduled readings, the most allowed ` +
					`(VIGIL_MAX_UNSCHEDULED_READINGS); correct or mark one entered in error instead.`
			]
		});
	}
}

/** What the safety rules need, as this write has left it. */
const knownAfter = (w: SessionWrite) => ({
	session: w.s.session,
	participant: w.s.participant,
	protocol: w.s.protocol,
	protocolVersionId: w.s.protocolVersionId,
	readings: w.readings,
	site: w.s.site,
	// Nothing in a save signs the session: as loaded, it stays.
	signed: w.s.signed
});

async function insertOne(
	trx: Trx,
	ctx: ServiceContext,
	w: SessionWrite,
	v: VitalsEntryInput,
	source: 'entry' | 'monitor'
): Promise<{ reading: VitalReading; warnings: VitalsFieldWarnings; replayed: boolean }> {
	const { s } = w;
	// A resend (the device never heard the answer): the reading stored under its key, once.
	const stored = v.clientKey && w.readings.find((r) => r.client_key === v.clientKey);
	if (stored) return { reading: stored, warnings: {}, replayed: true };
	const now = ctx.now();
	const { timepoint, takenAt } = resolveTime(s, v, now);
	const existing = w.readings.filter((r) => r.entered_in_error_at === null);
	if (timepoint && existing.some((r) => r.timepoint_label === timepoint.vstpt)) {
		throw new ConflictError(
			`${timepoint.vstpt} is recorded already; correct that reading, or record a recheck as unscheduled.`,
			{
				timepoint: [`${timepoint.vstpt} is recorded already.`]
			}
		);
	}
	if (timepoint === null) checkUnscheduledRoom(ctx, existing);
	const timepoints = s.protocol.dosingSession.vitalsTimepoints;
	const { values, warnings } = checkValues(
		v,
		existing.map((r) => toDomainReading(r, timepoints)),
		takenAt,
		s
	);
	if (Object.keys(warnings).length > 0 && !v.confirmed && source === 'entry') {
		throw new ConfirmationNeeded(warnings);
	}
	const reading = await repo.insertReading(trx, {
		dosing_session_id: s.session.id,
		participant_id: s.session.participant_id,
		site_id: s.session.site_id,
		timepoint_minutes: timepoint && timepoint.minutes !== 'end' ? timepoint.minutes : null,
		timepoint_label: timepoint?.vstpt ?? UNSCHEDULED,
		measured_at: takenAt.toISOString(),
		...values,
		position: v.position ?? null,
		source,
		client_key: v.clientKey ?? null,
		...createdStamp(ctx, now.toISOString())
	});
	await appendAudit(trx, ctx, {
		action: AUDIT_ACTIONS.vitalsRecorded,
		entityType: 'vital_reading',
		entityId: reading.id,
		siteId: reading.site_id,
		newValues: {
			session: s.session.id,
			timepoint: reading.timepoint_label,
			measuredAt: reading.measured_at,
			...camelKeys(values),
			position: reading.position,
			source,
			...(v.clientKey ? { clientKey: v.clientKey } : {}),
			...(Object.keys(warnings).length > 0 ? { confirmedWarnings: warnings } : {})
		}
	});
	await keepRecordSdv(trx, { type: 'vital_reading', id: reading.id }, sdvSettingsOf(s.protocol));
	w.readings = inOrder([...w.readings, reading]);
	return { reading, warnings, replayed: false };
}

/**
 * Saves one reading typed on the session grid. Soft-check warnings need `confirmed`. With a
 * `clientKey` already stored in this session, returns that reading and changes nothing.
 */
export async function recordVitals(
	ctx: ServiceContext,
	sessionId: number,
	input: unknown
): Promise<VitalReading> {
	return writeTransaction(ctx.db, async (trx) => {
		const w = await openSessionWrite(ctx, trx, sessionId);
		const v = parseInput(vitalsEntryInput, input);
		const { reading, replayed } = await insertOne(trx, ctx, w, v, 'entry');
		if (!replayed) {
			await sessionChanged(
				trx,
				ctx,
				sessionId,
				`reading ${reading.id} recorded`,
				knownAfter(w),
				new Set([reading.id])
			);
		}
		return reading;
	});
}

/**
 * A batch from a bedside monitor, all or nothing: one bad reading refuses the batch, with each
 * error under `readings.<index>.<field>`. Monitor values are not typed, so soft-check warnings
 * are returned and audited rather than asked about.
 */
export async function recordVitalsBatch(
	ctx: ServiceContext,
	sessionId: number,
	input: unknown
): Promise<Array<{ reading: VitalReading; warnings: VitalsFieldWarnings }>> {
	const max = (ctx.limits ?? DEFAULT_CAPTURE_LIMITS).maxBatchReadings;
	const sent = (input as { readings?: unknown } | null)?.readings;
	if (Array.isArray(sent) && sent.length > max) {
		throw new TooLargeError(
			`A batch may hold at most ${max} readings (VIGIL_MAX_BATCH_READINGS); send it in parts.`,
			{ readings: [`Send at most ${max} readings at a time; this batch has ${sent.length}.`] }
		);
	}
	return writeTransaction(ctx.db, async (trx) => {
		const w = await openSessionWrite(ctx, trx, sessionId);
		const { readings } = parseInput(vitalsBatchInput, input);
		const parsed = readings.map((r, i) => {
			const result = vitalsEntryInput.safeParse(r);
			if (!result.success) throw new ValidationError(prefixed(fieldErrorsOf(result.error), i));
			return result.data;
		});
		const out = [];
		for (const [i, v] of parsed.entries()) {
			try {
				const { reading, warnings } = await insertOne(trx, ctx, w, v, 'monitor');
				out.push({ reading, warnings });
			} catch (e) {
				if (e instanceof ValidationError) throw new ValidationError(prefixed(e.fieldErrors, i));
				if (e instanceof ConflictError) {
					throw new ValidationError(prefixed(e.fieldErrors, i), e.message);
				}
				throw e;
			}
		}
		await sessionChanged(
			trx,
			ctx,
			sessionId,
			`${out.length} monitor readings recorded`,
			knownAfter(w),
			new Set(out.map((o) => o.reading.id))
		);
		return out;
	});
}

function prefixed(errors: FieldErrors, index: number): FieldErrors {
	return Object.fromEntries(
		Object.entries(errors).map(([k, m]) => [`readings.${index}${k ? `.${k}` : ''}`, m])
	);
}

export async function getReading(ctx: ServiceContext, id: number): Promise<VitalReading> {
	const r = await repo.findReading(ctx.db, id);
	if (!r) throw new NotFoundError('Reading');
	await loadSession(ctx, r.dosing_session_id);
	return r;
}

/** Corrects a saved reading: the values, time or position; a reason is required. */
export async function correctVitals(
	ctx: ServiceContext,
	readingId: number,
	input: unknown
): Promise<VitalReading> {
	const reasonInput = (input as { reason?: unknown } | null)?.reason;
	return writeTransaction(ctx.db, async (trx) => {
		const before = await repo.findReading(trx, readingId);
		if (!before) throw new NotFoundError('Reading');
		const s = await loadSessionForWrite(ctx, trx, before.dosing_session_id);
		const v = parseInput(vitalsEntryInput, input);
		if (before.entered_in_error_at) throw new ConflictError('This reading was entered in error.');
		const timepoints = s.protocol.dosingSession.vitalsTimepoints;
		const sameTimepoint =
			before.timepoint_label === UNSCHEDULED ? 'unscheduled' : (before.timepoint_minutes ?? 'end');
		// A correction left without a time keeps the measured time; it is not "now".
		const { takenAt } =
			v.takenAt === ''
				? { takenAt: new Date(before.measured_at) }
				: resolveTime(s, { ...v, timepoint: sameTimepoint }, ctx.now());
		const others = (await repo.listReadings(trx, s.session.id, false)).filter(
			(r) => r.id !== readingId
		);
		const { values, warnings } = checkValues(
			v,
			others.map((r) => toDomainReading(r, timepoints)),
			takenAt,
			s
		);
		if (Object.keys(warnings).length > 0 && !v.confirmed) throw new ConfirmationNeeded(warnings);
		const next = {
			measured_at: takenAt.toISOString(),
			...values,
			position: v.position ?? null
		};
		const change = changeOf(before as typeof next & VitalReading, next);
		if (!change) return before;
		const reason = requireReasonFor({ altersSavedValue: true }, reasonInput);
		await repo.updateReading(trx, readingId, {
			...next,
			...updatedStamp(ctx)
		});
		await appendAudit(trx, ctx, {
			action: AUDIT_ACTIONS.vitalsCorrected,
			entityType: 'vital_reading',
			entityId: readingId,
			siteId: before.site_id,
			oldValues: camelKeys(change.oldValues),
			newValues: camelKeys(change.newValues),
			reason
		});
		await keepRecordSdv(trx, { type: 'vital_reading', id: readingId }, sdvSettingsOf(s.protocol));
		await sessionChanged(
			trx,
			ctx,
			before.dosing_session_id,
			`reading ${readingId} corrected: ${reason}`
		);
		return { ...before, ...next, version: before.version + 1 };
	});
}

export async function markVitalsEnteredInError(
	ctx: ServiceContext,
	readingId: number,
	input: { reason?: unknown }
): Promise<void> {
	await writeTransaction(ctx.db, async (trx) => {
		const before = await repo.findReading(trx, readingId);
		if (!before) throw new NotFoundError('Reading');
		// Access first: a caller who may not touch the record hears nothing about its input.
		const s = await loadSessionForWrite(ctx, trx, before.dosing_session_id);
		const reason = requireReason(input.reason, 'Say why this reading was entered in error.');
		if (before.entered_in_error_at) return;
		await strikeRecord(
			trx,
			ctx,
			{
				action: AUDIT_ACTIONS.vitalsEnteredInError,
				entityType: 'vital_reading',
				entityId: readingId,
				siteId: before.site_id
			},
			reason,
			(struck) => repo.updateReading(trx, readingId, struck.columns)
		);
		await keepRecordSdv(trx, { type: 'vital_reading', id: readingId }, sdvSettingsOf(s.protocol));
		await sessionChanged(
			trx,
			ctx,
			before.dosing_session_id,
			`reading ${readingId} entered in error: ${reason}`
		);
	});
}
