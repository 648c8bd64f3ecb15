// Runs the protocol's safety rules inside the transaction that saved the data, and reconciles
// the flags: a failure rolls back the reading and its flags together.
import {
	evaluateSessionVitals,
	missedReadingOutcomes,
	supplementalHold,
	supplementalGivenFlag,
	timesParsed,
	type FlagCandidate
} from '../../../domain/safety';
import type { ServiceContext } from '../../runtime/context';
import type { Trx } from '../../db';
import type { DosingSession, Participant, Site, VitalReading } from '../../db/schema';
import type { Protocol } from '../../../domain/protocol';
import { NotFoundError } from '../../runtime/errors';
import * as sessionsRepo from '../../repositories/dosing-sessions';
import * as participantsRepo from '../../repositories/participants';
import * as sitesRepo from '../../repositories/sites';
import { reconcileFlags, type FlagOutcomes, type Reconciled } from './flag-reconcile';
import { activeProtocol } from '../protocol/studies';
import { toDomainReading } from '../capture/vital-readings';

/** A session as the write that changed it has it loaded: rows as now in the transaction. */
export interface SessionFacts {
	session: DosingSession;
	participant: Participant;
	protocol: Protocol;
	protocolVersionId: number;
	/** Every reading, entered in error too, in (measured_at, id) order. */
	readings: VitalReading[];
	/** The session's site, when the write has it already. */
	site?: Site;
}

async function loadFacts(trx: Trx, sessionId: number): Promise<SessionFacts> {
	const session = await sessionsRepo.findDosingSession(trx, sessionId);
	const participant = session
		? await participantsRepo.findParticipant(trx, session.participant_id)
		: undefined;
	if (!session || !participant) throw new NotFoundError('Dosing session');
	const { protocol, protocolVersionId } = await activeProtocol(trx, participant.study_id);
	const readings = await sessionsRepo.listReadings(trx, sessionId, true);
	return { session, participant, protocol, protocolVersionId, readings };
}

/**
 * Re-evaluates every vitals rule of a session (and the supplemental-dose gate) at ctx.now().
 * A write that has the session loaded passes it (`known`) rather than have it read again.
 */
export async function evaluateSession(
	trx: Trx,
	ctx: ServiceContext,
	sessionId: number,
	cause: string,
	known?: SessionFacts
): Promise<Reconciled> {
	const { session, participant, protocol, protocolVersionId, ...loaded } =
		known ?? (await loadFacts(trx, sessionId));
	const site = loaded.site ?? (await sitesRepo.findSiteById(trx, session.site_id));
	const rules = protocol.safetyRules;
	const timepoints = protocol.dosingSession.vitalsTimepoints;
	const readings = loaded.readings.map((r) => toDomainReading(r, timepoints));
	// Times parsed once for every rule below (and the outcomes, when a missed flag closes).
	const facts = timesParsed({
		sessionId,
		t0: session.t0,
		endedAt: session.ended_at,
		readings,
		timepoints
	});
	let candidates: FlagCandidate[] = [];
	if (!session.entered_in_error_at && !participant.entered_in_error_at) {
		candidates = evaluateSessionVitals(facts, rules, ctx.now());
		if (session.supplemental_at && session.supplemental_override_reason) {
			const holds = supplementalHold(facts, rules, new Date(session.supplemental_at));
			const given = supplementalGivenFlag(
				sessionId,
				holds,
				rules,
				session.supplemental_override_reason
			);
			if (given) candidates.push(given);
		}
	}
	return reconcileFlags(
		trx,
		ctx,
		{ kind: 'session', sessionId },
		candidates,
		{
			studyId: participant.study_id,
			protocolVersionId,
			participantId: participant.id,
			siteId: session.site_id,
			sessionId
		},
		cause,
		site
			? lazyOutcomes(() =>
					missedReadingOutcomes(facts, site.timezone, rules.missedReading.minutesLate)
				)
			: undefined
	);
}

/**
 * The missed-reading outcomes, worked out only when a flag closes and asks for one: each is two
 * clock times in the site's zone per answered timepoint, and most saves close nothing.
 */
function lazyOutcomes(outcomes: () => ReadonlyMap<string, string>): FlagOutcomes {
	let known: ReadonlyMap<string, string> | undefined;
	return { get: (key) => (known ??= outcomes()).get(key) };
}
