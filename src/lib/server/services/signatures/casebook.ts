// Casebook sign-off (21 CFR 11.200(a)(1); DOMAIN-2 §9): an investigator sees exactly which of a
// participant's records wait for a signature (all, or those up to a date) and signs them in one
// act with signRecords, each record its own signature row.
import { z } from 'zod';
import { requireRole } from '../../auth/access';
import type { ServiceContext } from '../../runtime/context';
import { parseInput } from '../../runtime/validate';
import * as queueRepo from '../../repositories/review-queue';
import * as sitesRepo from '../../repositories/sites';
import { getParticipant } from '../capture/participants';
import { toQueueItem, type ReviewQueueItem } from '../safety/review-queue';
import { componentsNeeded, type ComponentsNeeded } from './signing-components';

/** At most this many records in one casebook signing (the sign-many limit). */
export const CASEBOOK_LIMIT = 500;

const casebookQuery = z.object({
	upTo: z.preprocess(
		(v) => (v === null || v === '' ? undefined : v),
		z
			.string()
			.regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter a date as YYYY-MM-DD.')
			.refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), 'Enter a real date.')
			.optional()
	)
});

export interface CasebookPreview {
	participant: { id: number; subjectCode: string; siteCode: string };
	/** Inclusive UTC day, or null for every record. */
	upTo: string | null;
	/** Oldest first: exactly what signing will sign, each with the version it will bind to. */
	items: ReviewQueueItem[];
	/** More records wait than one signing takes. */
	more: boolean;
	/** For an investigator: what the sign form asks for. */
	components: ComponentsNeeded;
	canSign: boolean;
}

/** The participant's records waiting for a valid signature, for review before signing. */
export async function casebookPreview(
	ctx: ServiceContext,
	participantId: number,
	query: unknown = {}
): Promise<CasebookPreview> {
	requireRole(ctx.actor, 'investigator', 'auditor');
	const p = await getParticipant(ctx, participantId);
	const { upTo } = parseInput(casebookQuery, query);
	const before = upTo
		? new Date(Date.parse(`${upTo}T00:00:00Z`) + 86_400_000).toISOString()
		: undefined;
	const rows = await queueRepo.queuePage(
		ctx.db,
		{ siteIds: [p.site_id], participantId: p.id, before },
		{ limit: CASEBOOK_LIMIT + 1, offset: 0, oldestFirst: true }
	);
	const site = await sitesRepo.findSiteById(ctx.db, p.site_id);
	const investigator = ctx.actor.kind === 'user' && ctx.actor.role === 'investigator';
	return {
		participant: { id: p.id, subjectCode: p.subject_code, siteCode: site?.code ?? '' },
		upTo: upTo ?? null,
		items: rows.slice(0, CASEBOOK_LIMIT).map(toQueueItem),
		more: rows.length > CASEBOOK_LIMIT,
		components: await componentsNeeded(ctx),
		canSign: investigator && p.entered_in_error_at === null
	};
}
