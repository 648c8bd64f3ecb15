// What a record's page shows of monitoring: its data queries with every step, its source data
// verification, and what the viewer may do about them.
import { fieldLabel, RECORD_FIELDS, type RecordType } from '../../../domain/monitoring/fields';
import type { ServiceContext } from '../../runtime/context';
import { NotFoundError } from '../../runtime/errors';
import * as records from '../../repositories/records';
import { SDV_TYPES, type SdvType } from '../../repositories/source-verification';
import { assertClinicalRead } from '../people/clinical-access';
import { listDataQueries, type DataQueryView } from './queries';
import { recordSdv, type RecordSdv } from './sdv-status';

export interface MonitoringPanelData {
	entityType: RecordType;
	entityId: number;
	queries: DataQueryView[];
	sdv: RecordSdv | null;
	fields: Array<{ field: string; label: string }>;
	/** A monitor: raises, closes, re-opens and cancels queries, and verifies. */
	isMonitor: boolean;
	/** A monitor, on a record that stands (not entered in error). */
	canVerify: boolean;
	/** Site staff: answer queries. */
	canAnswer: boolean;
}

function standingSdv(ctx: ServiceContext, type: SdvType, id: number): Promise<RecordSdv | null> {
	return recordSdv(ctx, type, id).catch((e: unknown) => {
		if (e instanceof NotFoundError) return null;
		throw e;
	});
}

export async function monitoringPanel(
	ctx: ServiceContext,
	entityType: RecordType,
	entityId: number
): Promise<MonitoringPanelData> {
	const head = await records.findRecord(ctx.db, entityType, entityId);
	if (!head) throw new NotFoundError('Record');
	assertClinicalRead(ctx.actor, head.site_id, 'Record');
	const role = ctx.actor.kind === 'user' ? ctx.actor.role : null;
	const isSdv = (SDV_TYPES as readonly string[]).includes(entityType);
	return {
		entityType,
		entityId,
		queries: await listDataQueries(ctx, { entityType, entityId }),
		// A record (or participant) entered in error is no longer verified: no SDV to show.
		sdv: isSdv ? await standingSdv(ctx, entityType as SdvType, entityId) : null,
		fields: Object.keys(RECORD_FIELDS[entityType]).map((field) => ({
			field,
			label: fieldLabel(entityType, field)
		})),
		isMonitor: role === 'monitor',
		canVerify: role === 'monitor' && isSdv && !head.entered_in_error_at,
		canAnswer: role === 'coordinator' || role === 'investigator'
	};
}
