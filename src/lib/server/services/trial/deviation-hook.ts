// The one place the consent gate records a protocol deviation (category INFORMED CONSENT,
// DOMAIN-2.md §7). Until the deviations service (issue 12) is on main this writes an audited
// marker; switching is this function only.
import type { Procedure } from './consent';
import { AUDIT_ACTIONS } from '../../audit/actions';
import { appendAudit } from '../../audit/log';
import type { Trx } from '../../db';
import type { Participant } from '../../db/schema';
import type { ServiceContext } from '../../runtime/context';

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
}
