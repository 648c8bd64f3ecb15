// What the scale entry and correction forms offer: the participant's visits (with the scales the
// protocol gives at each) and the site's time zone, for a reader of the participant.
import type { ServiceContext } from '../../runtime/context';
import { NotFoundError } from '../../runtime/errors';
import * as sitesRepo from '../../repositories/sites';
import { getParticipant } from './participants';
import { activeProtocol } from '../protocol/studies';
import { listVisits } from './visits';

export interface ScaleFormOptions {
	participant: { id: number; subjectCode: string; siteId: number };
	timeZone: string;
	visits: Array<{
		id: number;
		code: string;
		label: string;
		plannedOn: string | null;
		scales: string[];
	}>;
}

export async function scaleFormOptions(
	ctx: ServiceContext,
	participantId: number
): Promise<ScaleFormOptions> {
	const p = await getParticipant(ctx, participantId);
	const [visits, site, { protocol }] = await Promise.all([
		listVisits(ctx, participantId),
		sitesRepo.findSiteById(ctx.db, p.site_id),
		activeProtocol(ctx.db, p.study_id)
	]);
	if (!site) throw new NotFoundError('Site');
	return {
		participant: { id: p.id, subjectCode: p.subject_code, siteId: p.site_id },
		timeZone: site.timezone,
		// A missed visit cannot hold an administration (see visitFor in scale-rows.ts).
		visits: visits
			.filter((v) => !v.entered_in_error_at && v.status !== 'missed')
			.map((v) => ({
				id: v.id,
				code: v.visit_code,
				label: v.label,
				plannedOn: v.actual_on ?? v.planned_on,
				scales: [...(protocol.visits.find((pv) => pv.code === v.visit_code)?.scales ?? [])]
			}))
	};
}
