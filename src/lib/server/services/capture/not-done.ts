// Ending a session with scheduled readings missing: each is recorded as not done with its reason
// (SDTM VSSTAT = NOT DONE, VSREASND) and as a SAFETY ASSESSMENT NOT DONE deviation, or the
// coordinator is asked (409) and goes back to enter it. Inside the end's write transaction.
import { safetyAssessmentNotDone } from '../../../domain/deviations';
import { missingAtEnd, type MissingReading } from '../../../domain/vitals';
import { toLocalClock } from '../../../domain/time';
import { AUDIT_ACTIONS } from '../../audit/actions';
import { appendAudit } from '../../audit/log';
import type { Trx } from '../../db';
import * as repo from '../../repositories/dosing-sessions';
import type { ServiceContext } from '../../runtime/context';
import { ConflictError } from '../../runtime/errors';
import { fromDetected, recordDeviation } from '../protocol/deviations';
import type { SessionContext } from './dosing-sessions';
import { toDomainReading } from './vital-readings';
import { keepRecordSdv } from '../monitoring/sdv-summary';
import { sdvSettingsOf } from '../monitoring/sdv-status';
import { createdStamp } from './stamps';

export interface MissingView {
	/** The timepoint's key on the grid: minutes from T0. */
	key: string;
	label: string;
	/** HH:mm at the site. */
	planned: string;
}

/** 409: readings missing at the end; each needs `notDone.<key>` (a reason) or to be entered. */
export class MissingReadings extends ConflictError {
	constructor(readonly missing: MissingView[]) {
		super(
			'Scheduled readings are missing. Record each as not done with a reason, or go back and enter it.',
			Object.fromEntries(
				missing.map((m) => [
					`notDone.${m.key}`,
					[`${m.label} (planned ${m.planned}) has no reading: say why it was not done.`]
				])
			)
		);
	}
}

const keyOf = (m: MissingReading) => String(m.timepoint.minutes);

/** Records the missing readings as not done, or asks (MissingReadings) when a reason is missing. */
export async function settleMissingReadings(
	trx: Trx,
	ctx: ServiceContext,
	s: SessionContext,
	endedAt: string,
	reasons: Readonly<Record<string, string>>
): Promise<number> {
	const timepoints = s.protocol.dosingSession.vitalsTimepoints;
	const readings = (await repo.listReadings(trx, s.session.id, false)).map((r) =>
		toDomainReading(r, timepoints)
	);
	const missing = missingAtEnd(timepoints, s.session.t0, endedAt, readings);
	const reasonOf = (m: MissingReading) => (reasons[keyOf(m)] ?? '').trim();
	if (missing.some((m) => reasonOf(m).length < 3)) {
		throw new MissingReadings(
			missing.map((m) => ({
				key: keyOf(m),
				label: m.timepoint.vstpt,
				planned: toLocalClock(m.plannedAt, s.site.timezone)
			}))
		);
	}
	const at = ctx.now().toISOString();
	for (const m of missing) {
		const reason = reasonOf(m);
		// Nothing was measured: the row carries the planned time, no values, and the reason.
		const row = await repo.insertReading(trx, {
			dosing_session_id: s.session.id,
			participant_id: s.session.participant_id,
			site_id: s.session.site_id,
			timepoint_minutes: m.timepoint.minutes === 'end' ? null : m.timepoint.minutes,
			timepoint_label: m.timepoint.vstpt,
			measured_at: m.plannedAt.toISOString(),
			systolic: null,
			diastolic: null,
			heart_rate: null,
			temperature_c: null,
			temperature_value: null,
			temperature_unit: null,
			position: null,
			source: 'entry',
			not_done_reason: reason,
			client_key: null,
			...createdStamp(ctx, at)
		});
		await keepRecordSdv(trx, { type: 'vital_reading', id: row.id }, sdvSettingsOf(s.protocol));
		await appendAudit(trx, ctx, {
			action: AUDIT_ACTIONS.vitalsNotDone,
			entityType: 'vital_reading',
			entityId: row.id,
			siteId: row.site_id,
			newValues: {
				session: s.session.id,
				timepoint: row.timepoint_label,
				plannedAt: row.measured_at,
				status: 'NOT DONE'
			},
			reason
		});
		await recordDeviation(
			trx,
			ctx,
			fromDetected(safetyAssessmentNotDone(s.session.session_number, m.timepoint.vstpt, reason), {
				participantId: s.session.participant_id,
				occurredAt: m.plannedAt,
				dosingSessionId: s.session.id,
				visitId: s.session.visit_id ?? undefined,
				source: { type: 'vital_reading', id: row.id },
				reason
			})
		);
	}
	return missing.length;
}
