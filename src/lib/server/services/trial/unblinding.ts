// Emergency unblinding of one participant (E9 §2.3.1; E6(R3) §2.11, §3.16.1(g); DOMAIN-2.md §1):
// an investigator at the participant's site gives the medical reason and re-authenticates; the arm
// is returned once, to be shown once; the record shows that, when and by whom the participant was
// unblinded (never the arm); the audit entry says what was revealed without revealing it; the
// study's unblinding contact is told by e-mail after the commit.
import { z } from 'zod';
import { AUDIT_ACTIONS } from '../../audit/actions';
import { appendAudit } from '../../audit/log';
import { requireRole } from '../../auth/access';
import { writeTransaction } from '../../db/transaction';
import * as allocation from '../../repositories/allocation';
import * as repo from '../../repositories/randomisation';
import * as sitesRepo from '../../repositories/sites';
import type { ServiceContext } from '../../runtime/context';
import { isUser } from '../../auth/access';
import { ConflictError, ForbiddenError } from '../../runtime/errors';
import { parseInput } from '../../runtime/validate';
import { getParticipant } from '../capture/participants';
import { activeProtocol } from '../protocol/studies';
import { reauthenticate } from './reauthenticate';
import { sendAlert, smtpMailer } from '../alerts/mailer';
import { unblindingMessage, type MailResult } from './unblinding-mail';

const unblindInput = z.object({
	reason: z
		.string({ error: 'Give the medical reason for unblinding.' })
		.trim()
		.min(10, 'Give the medical reason for unblinding (at least 10 characters).')
		.max(1000),
	confirm: z.preprocess(
		(v) => v === true || v === 'on' || v === 'yes',
		z.literal(true, {
			error: 'Confirm that knowing the arm is needed for this participant’s care.'
		})
	),
	password: z.string({ error: 'Enter your password again.' }).min(1, 'Enter your password again.')
});

export interface UnblindingResult {
	subjectCode: string;
	kit: string;
	/** The arm, in the protocol's words: shown once, then never again through Vigil. */
	armCode: string;
	armLabel: string;
	unblindedAt: string;
	mail: MailResult | { sent: false; why: 'no unblinding contact in the protocol' };
}

export interface MailSettings {
	smtpUrl: string | undefined;
	from: string;
}

export async function emergencyUnblind(
	ctx: ServiceContext,
	participantId: number,
	input: unknown,
	mail: MailSettings
): Promise<UnblindingResult> {
	const p = await getParticipant(ctx, participantId);
	requireRole(ctx.actor, 'investigator');
	if (!isUser(ctx.actor)) throw new ForbiddenError('Only an investigator unblinds.');
	const actor = ctx.actor;
	const v = parseInput(unblindInput, input);
	const before = await repo.findRandomisation(ctx.db, participantId);
	if (!before) throw new ConflictError('This participant has not been randomised.');
	if (before.unblinded_at) {
		throw new ConflictError(
			`This participant was already unblinded on ${before.unblinded_at.slice(0, 16).replace('T', ' ')} UTC by ${before.unblinded_by_name}.`
		);
	}
	await reauthenticate(ctx, actor, v.password, { participantId, siteId: p.site_id });
	const { study, protocol } = await activeProtocol(ctx.db, p.study_id);
	const at = ctx.now().toISOString();
	const slot = await writeTransaction(ctx.db, async (trx) => {
		const current = await repo.findRandomisation(trx, participantId);
		if (current?.unblinded_at) throw new ConflictError('This participant was already unblinded.');
		const found = await allocation.slotOfParticipant(trx, participantId);
		if (!found) throw new ConflictError('This participant has no allocation.');
		await repo.updateRandomisation(trx, participantId, {
			unblinded_at: at,
			unblinded_by: actor.id,
			unblinded_by_name: actor.name,
			unblind_reason: v.reason
		});
		// What was shown, without showing it: blinded auditors read this entry.
		await appendAudit(trx, ctx, {
			action: AUDIT_ACTIONS.emergencyUnblinding,
			entityType: 'participant',
			entityId: participantId,
			siteId: p.site_id,
			oldValues: { unblindedAt: null },
			newValues: {
				unblindedAt: at,
				requestedBy: actor.email,
				performedBy: actor.email,
				kit: found.kit,
				revealed: 'the allocated arm of this participant only',
				reauthenticated: true
			},
			reason: v.reason
		});
		return found;
	});
	const arm = protocol.randomisation.arms.find((a) => a.code === slot.arm);
	const site = await sitesRepo.findSiteById(ctx.db, p.site_id);
	const contact = protocol.randomisation.unblindingContact;
	const sent: UnblindingResult['mail'] = contact
		? await notifyContact(ctx, mail, p.site_id, participantId, {
				to: contact,
				studyCode: study.code,
				subjectCode: p.subject_code,
				siteCode: site?.code ?? '',
				investigator: `${actor.name} <${actor.email}>`,
				at,
				reason: v.reason
			})
		: { sent: false, why: 'no unblinding contact in the protocol' };
	if (!sent.sent && contact) console.error(`Vigil: unblinding e-mail not sent: ${sent.why}`);
	return {
		subjectCode: p.subject_code,
		kit: slot.kit,
		armCode: slot.arm,
		armLabel: arm?.label ?? slot.arm,
		unblindedAt: at,
		mail: sent
	};
}

/** Tells the unblinding contact through the alert mailer; never throws (the unblinding stands). */
async function notifyContact(
	ctx: ServiceContext,
	mail: MailSettings,
	siteId: number,
	participantId: number,
	notice: Parameters<typeof unblindingMessage>[0]
): Promise<MailResult> {
	if (!mail.smtpUrl) return { sent: false, why: 'VIGIL_SMTP_URL is not set' };
	const message = unblindingMessage(notice);
	const outcome = await sendAlert(ctx, smtpMailer(mail.smtpUrl, mail.from), {
		kind: 'unblinding',
		to: [message.to],
		subject: message.subject,
		text: message.text,
		siteId,
		entityType: 'participant',
		entityId: participantId
	});
	return outcome === 'sent'
		? { sent: true }
		: { sent: false, why: 'the mail server refused the message (the audit trail has its reason)' };
}
