// A participant's totals on one instrument over time, measured against their baseline: the last
// complete total before the first dose (DOMAIN.md §2). Response and remission thresholds come from
// the study's protocol, which defaults to DOMAIN.md's (50 % below baseline; per-scale remission).
import { startOfSiteDay } from '../../../domain/time';
import { compare, type Protocol } from '../../../domain/protocol';
import {
	baselineOf,
	isNumericScaleId,
	percentChangeFromBaseline,
	type NumericScaleId
} from '../../../domain/scales';
import type { ServiceContext } from '../../runtime/context';
import type { Executor } from '../../db';
import type { Participant } from '../../db/schema';
import { ValidationError } from '../../runtime/errors';
import * as repo from '../../repositories/scales';
import * as sitesRepo from '../../repositories/sites';
import { getParticipant } from '../capture/participants';
import { activeProtocol } from '../protocol/studies';

export interface ScaleSeriesPoint {
	administrationId: number;
	visitCode: string | null;
	administeredAt: string;
	total: number | null;
	complete: boolean;
	/** Change from baseline in percent (negative = better); null before the first dose. */
	percentChange: number | null;
	response: boolean | null;
	remission: boolean | null;
}

export interface ScaleSeries {
	instrument: NumericScaleId;
	/** When the first dose was given (or, until a session is recorded, its visit's day began). */
	firstDoseAt: string | null;
	baseline: number | null;
	points: ScaleSeriesPoint[];
}

/**
 * Response: at least `percent` below baseline. Compared as total × 100 ≤ baseline × (100 − percent)
 * so the 50 % boundary is exact; null when the baseline is 0 (no change is defined).
 */
export function meetsResponse(baseline: number, total: number, percent: number): boolean | null {
	if (baseline === 0) return null;
	return total * 100 <= baseline * (100 - percent);
}

/**
 * T0 of the first dosing session; before one is recorded, the start of the first dosing visit's
 * day at the site (its actual date once known, else the planned one), so scales given earlier
 * that day are not taken for baseline by mistake.
 */
async function firstDoseAt(db: Executor, p: Participant): Promise<string | null> {
	const t0 = await repo.firstDosingT0(db, p.id);
	if (t0) return t0;
	const visit = await repo.firstDosingVisit(db, p.id);
	const day = visit?.actual_on ?? visit?.planned_on;
	const site = await sitesRepo.findSiteById(db, p.site_id);
	if (!day || !site) return null;
	return startOfSiteDay(day, site.timezone).toISOString();
}

function pointOf(
	row: repo.ScaleAdministrationRow,
	id: NumericScaleId,
	protocol: Protocol,
	after: { doseAt: string | null; baseline: number | null }
): ScaleSeriesPoint {
	const total = row.total;
	const postDose =
		after.doseAt !== null && Date.parse(row.administered_at) >= Date.parse(after.doseAt);
	const measured = total !== null && after.baseline !== null && postDose;
	return {
		administrationId: row.id,
		visitCode: row.visit_code,
		administeredAt: row.administered_at,
		total,
		complete: row.complete === 1,
		percentChange: measured ? percentChangeFromBaseline(after.baseline!, total) : null,
		response: measured
			? meetsResponse(after.baseline!, total, protocol.scales.responsePercentBelowBaseline)
			: null,
		remission: total === null ? null : compare(total, protocol.scales.remission[id])
	};
}

/** The participant's series on a scored instrument, oldest first; entered-in-error rows left out. */
export async function scaleSeries(
	ctx: ServiceContext,
	participantId: number,
	instrument: string
): Promise<ScaleSeries> {
	const p = await getParticipant(ctx, participantId);
	if (!isNumericScaleId(instrument)) {
		throw new ValidationError({ instrument: ['Choose a scale with a total (not C-SSRS).'] });
	}
	const { protocol } = await activeProtocol(ctx.db, p.study_id);
	const rows = await repo.listScaleAdministrationsOfParticipant(ctx.db, p.id, { instrument });
	const doseAt = await firstDoseAt(ctx.db, p);
	const baseline =
		doseAt === null
			? null
			: baselineOf(
					rows.map((r) => ({ at: r.administered_at, total: r.total })),
					doseAt
				);
	return {
		instrument,
		firstDoseAt: doseAt,
		baseline,
		points: rows.map((r) => pointOf(r, instrument, protocol, { doseAt, baseline }))
	};
}
