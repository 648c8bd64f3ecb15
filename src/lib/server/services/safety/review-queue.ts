// The investigator's review queue: records at their sites waiting for a valid signature, including
// ones whose signature a later change voided.
import type { ScaleId } from '../../../domain/scales';
import { assertSiteAccess, readableSites, requireRole } from '../../auth/access';
import type { ServiceContext } from '../../runtime/context';
import * as repo from '../../repositories/signatures';
import type { QueueRow, SignableType } from '../../repositories/signatures';
import { SCALE_LABELS } from '../../../domain/scales';

const PATH: Record<SignableType, string> = {
	dosing_session: '/sessions',
	adverse_event: '/adverse-events',
	scale_administration: '/scales'
};

export interface ReviewQueueItem {
	entityType: SignableType;
	entityId: number;
	participantId: number;
	subjectCode: string;
	siteCode: string;
	timeZone: string;
	/** e.g. "Dosing session 1", "Adverse event: headache", "MADRS". */
	what: string;
	/** When it happened (session T0, AE onset, scale administered), UTC. */
	at: string;
	href: string;
	/** Signed once, then changed: every signature is void now. */
	changedSinceSigned: boolean;
}

function describe(type: SignableType, detail: string): string {
	if (type === 'dosing_session') return `Dosing session ${detail}`;
	if (type === 'adverse_event') return `Adverse event: ${detail}`;
	return SCALE_LABELS[detail as ScaleId] ?? detail;
}

const toItem = (type: SignableType, r: QueueRow): ReviewQueueItem => ({
	entityType: type,
	entityId: r.entity_id,
	participantId: r.participant_id,
	subjectCode: r.subject_code,
	siteCode: r.site_code,
	timeZone: r.timezone,
	what: describe(type, r.detail),
	at: r.at,
	href: `${PATH[type]}/${r.entity_id}`,
	changedSinceSigned: r.signed_before === 1
});

/** Records at the actor's sites (or one of them) waiting for a valid signature, oldest first. */
export async function reviewQueue(
	ctx: ServiceContext,
	opts: { siteId?: number } = {}
): Promise<ReviewQueueItem[]> {
	requireRole(ctx.actor, 'investigator', 'auditor');
	let sites = readableSites(ctx.actor, { adminSeesAll: false });
	if (opts.siteId !== undefined) {
		assertSiteAccess(ctx.actor, opts.siteId, { adminSeesAll: false, what: 'Site' });
		sites = [opts.siteId];
	}
	const lists = await Promise.all(
		repo.SIGNABLE_TYPES.map(async (type) =>
			(await repo.unsignedRecords(ctx.db, type, sites)).map((r) => toItem(type, r))
		)
	);
	return lists.flat().sort((a, b) => a.at.localeCompare(b.at) || a.href.localeCompare(b.href));
}
