// Rating-scale administrations: recorded, corrected (with a reason once an answer was saved) and
// entered in error, each scored by the domain and audited in the same transaction as the row.
import type { ScaleId } from '../../../domain/scales';
import { AUDIT_ACTIONS } from '../../audit/actions';
import { appendAudit } from '../../audit/log';
import type { ServiceContext } from '../../runtime/context';
import { writeTransaction } from '../../db/transaction';
import { evaluateScaleRecord } from '../safety/safety-records';
import * as repo from '../../repositories/scales';
import { getParticipant, getParticipantToWrite, participantForWrite } from './participants';
import { readAdministration } from './scale-input';
import { rowForRead, scoreColumns, timeZoneOf, visitFor, visitNames } from './scale-rows';
import { scheduledAt, toView, type ScaleAdministrationView } from './scale-view';
import { activeProtocol } from '../protocol/studies';
import { requireValidConsent } from '../trial/consent';
import { keepSummaries } from '../dashboards/summaries';
import { keepRecordSdv } from '../monitoring/sdv-summary';
import { createdStamp } from './stamps';

export { correctScaleAdministration, markScaleEnteredInError } from './scale-corrections';
export { scaleSeries, type ScaleSeries, type ScaleSeriesPoint } from '../dashboards/scale-series';
export { SCALE_LABELS } from '../../../domain/scales';
export { type CssrsSummary, type ScaleAdministrationView } from './scale-view';

/** Records one administration; `notScheduled` marks an instrument the visit does not list. */
export async function recordScaleAdministration(
	ctx: ServiceContext,
	participantId: number,
	input: unknown
): Promise<ScaleAdministrationView> {
	const p = await getParticipantToWrite(ctx, participantId);
	const entry = readAdministration(input, await timeZoneOf(ctx, p.site_id), ctx.now());
	const { protocol } = await activeProtocol(ctx.db, p.study_id);
	return writeTransaction(ctx.db, async (trx) => {
		const participant = await participantForWrite(ctx, trx, participantId);
		const visit = await visitFor(trx, participantId, entry.visitId);
		await requireValidConsent(trx, ctx, participant, {
			what: entry.instrument,
			at: new Date(entry.administeredAt).toISOString(),
			visitId: visit?.id
		});
		const row = await repo.insertScaleAdministration(trx, {
			...scoreColumns(entry),
			participant_id: p.id,
			site_id: p.site_id,
			instrument: entry.instrument,
			...createdStamp(ctx)
		});
		await keepRecordSdv(trx, { type: 'scale_administration', id: row.id });
		await keepSummaries(trx, { kind: 'scales', participantId: p.id });
		await appendAudit(trx, ctx, {
			action: AUDIT_ACTIONS.scaleRecorded,
			entityType: 'scale_administration',
			entityId: row.id,
			siteId: row.site_id,
			newValues: {
				participantId: p.id,
				instrument: entry.instrument,
				visit: visit?.visit_code ?? null,
				notScheduled: !scheduledAt(protocol, visit?.visit_code ?? null, entry.instrument),
				administeredAt: entry.administeredAt,
				answers: entry.answers,
				complete: entry.score.complete,
				total: entry.score.total,
				band: entry.score.band?.label ?? null
			}
		});
		await evaluateScaleRecord(trx, ctx, row.id, `scale ${row.id} recorded`);
		return toView({ ...row, ...visitNames(visit) }, protocol);
	});
}

export async function getScaleAdministration(
	ctx: ServiceContext,
	id: number
): Promise<ScaleAdministrationView> {
	const { row, protocol } = await rowForRead(ctx, id);
	return toView(row, protocol);
}

/** A participant's administrations, oldest first; entered-in-error ones only when asked for. */
export async function listScaleAdministrations(
	ctx: ServiceContext,
	participantId: number,
	opts: { instrument?: string; includeEnteredInError?: boolean } = {}
): Promise<ScaleAdministrationView[]> {
	const p = await getParticipant(ctx, participantId);
	const { protocol } = await activeProtocol(ctx.db, p.study_id);
	// Any text may name the instrument: one that is not a scale id matches nothing.
	const rows = await repo.listScaleAdministrationsOfParticipant(ctx.db, participantId, {
		...opts,
		instrument: opts.instrument as ScaleId | undefined
	});
	return rows.map((row) => toView(row, protocol));
}
