// The one place the consent gate records a protocol deviation (category INFORMED CONSENT,
// DOMAIN-2.md §7): the audited marker, and the deviation itself through the deviations service,
// listed, signed and exported with the others.
import type { Procedure } from './consent';
import { AUDIT_ACTIONS } from '../../audit/actions';
import { appendAudit } from '../../audit/log';
import type { Trx } from '../../db';
import type { Participant } from '../../db/schema';
import type { ServiceContext } from '../../runtime/context';
import { DEVIATION_RULES } from '../../../domain/deviations';
import { recordDeviation } from '../protocol/deviations';

export async function recordConsentDeviation(
	trx: Trx,
	ctx: ServiceContext,
	p: Participant,
	procedure: Procedure,
	message: string
): Promise<void> {
	await appendAudit(trx, ctx, {
		action: AUDIT_ACTIONS.procedureWithoutConsent,
		entityType: 'participant',
		entityId: p.id,
		siteId: p.site_id,
		newValues: {
			category: 'INFORMED CONSENT',
			important: true,
			procedure: procedure.what,
			at: procedure.at,
			visitId: procedure.visitId ?? null,
			dosingSessionId: procedure.dosingSessionId ?? null
		},
		reason: message
	});
	await recordDeviation(trx, ctx, {
		participantId: p.id,
		category: 'INFORMED CONSENT',
		description: `${procedure.what} without valid consent: ${message}`,
		occurredAt: procedure.at,
		important: true,
		ruleId: DEVIATION_RULES.consentMissing,
		visitId: procedure.visitId,
		dosingSessionId: procedure.dosingSessionId,
		source: procedure.dosingSessionId
			? { type: 'dosing_session', id: procedure.dosingSessionId }
			: procedure.visitId
				? { type: 'visit', id: procedure.visitId }
				: undefined
	});
}
