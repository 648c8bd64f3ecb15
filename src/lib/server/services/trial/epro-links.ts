// Staff doors to ePRO beyond issuing a link (epro.ts): revoking an unused link, and reading a
// participant's self-reports. The answers stay the participant's: nothing here changes them.
import { AUDIT_ACTIONS } from '../../audit/actions';
import { appendAudit } from '../../audit/log';
import { writeTransaction } from '../../db/transaction';
import * as repo from '../../repositories/epro';
import type { ServiceContext } from '../../runtime/context';
import { ConflictError, NotFoundError } from '../../runtime/errors';
import { listScaleAdministrations } from '../capture/scales';
import type { ScaleAdministrationView } from '../capture/scale-view';
import { getParticipant, participantForWrite } from '../capture/participants';
import { assertClinicalWrite } from '../people/clinical-access';
import { eproLinkView, listEproLinks, type EproLinkView } from './epro';

/**
 * A coordinator at the participant's site ends an unused link now (sent to the wrong person, or
 * no longer wanted): it then answers as expired (410). A used link cannot be revoked. Audited.
 */
export async function revokeEproLink(ctx: ServiceContext, linkId: number): Promise<EproLinkView> {
	const link = await repo.findLink(ctx.db, linkId);
	if (!link) throw new NotFoundError('Self-report link');
	// Another site's staff are told "not found", as for the participant's other records.
	await getParticipant(ctx, link.participant_id);
	assertClinicalWrite(ctx.actor, link.site_id, 'Self-report link');
	const at = ctx.now().toISOString();
	return writeTransaction(ctx.db, async (trx) => {
		await participantForWrite(ctx, trx, link.participant_id);
		if (!(await repo.expireLink(trx, linkId, at))) {
			const now = (await repo.findLink(trx, linkId))!;
			throw new ConflictError(
				now.used_at
					? 'This link was already used: the answers are the participant’s and stay.'
					: 'This link has already expired.'
			);
		}
		await appendAudit(trx, ctx, {
			action: AUDIT_ACTIONS.eproLinkRevoked,
			entityType: 'epro_link',
			entityId: linkId,
			siteId: link.site_id,
			oldValues: { expiresAt: link.expires_at },
			newValues: { expiresAt: at }
		});
		return eproLinkView({ ...link, expires_at: at });
	});
}

export interface SelfReport {
	link: EproLinkView;
	administration: ScaleAdministrationView;
}

/** The participant's answered links with their scored administrations, newest first. */
export async function listSelfReports(
	ctx: ServiceContext,
	participantId: number
): Promise<SelfReport[]> {
	const links = await listEproLinks(ctx, participantId);
	const answered = links.filter((l) => l.administrationId !== null);
	if (answered.length === 0) return [];
	const byId = new Map(
		(await listScaleAdministrations(ctx, participantId, { includeEnteredInError: true })).map(
			(a) => [a.id, a] as const
		)
	);
	return answered.flatMap((link) => {
		const administration = byId.get(link.administrationId!);
		return administration ? [{ link, administration }] : [];
	});
}
