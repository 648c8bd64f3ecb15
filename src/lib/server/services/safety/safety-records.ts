// Safety rules for adverse events and rating scales, run inside the transaction that saved them.
import { findCodedTerm } from '../../../domain/adverse-events';
import {
	evaluateAdministration,
	evaluateAdverseEvent,
	evaluateWorsening
} from '../../../domain/safety';
import type { AdministrationScore, ScaleScore, CssrsScore } from '../../../domain/scales';
import { baselineOf } from '../../../domain/scales';
import { RULE_IDS, type ScaleId } from '../../../domain/protocol';
import type { ServiceContext } from '../../runtime/context';
import type { Trx } from '../../db';
import * as participantsRepo from '../../repositories/participants';
import * as scalesRepo from '../../repositories/scales';
import { decodeSeverity } from '../../../domain/adverse-events';
import { reconcileFlags, type Reconciled } from './flag-reconcile';
import { activeProtocol } from '../protocol/studies';

/** Mild, moderate and severe compare as grades 1, 2 and 3 (the protocol's severity rule says so). */
const INTENSITY_GRADE = { mild: 1, moderate: 2, severe: 3 } as const;

export async function evaluateAdverseEventRecord(
	trx: Trx,
	ctx: ServiceContext,
	id: number,
	cause: string
): Promise<Reconciled> {
	const row = await trx
		.selectFrom('adverse_event')
		.selectAll()
		.where('id', '=', id)
		.executeTakeFirstOrThrow();
	const participant = (await participantsRepo.findParticipant(trx, row.participant_id))!;
	const { protocol, protocolVersionId } = await activeProtocol(trx, participant.study_id);
	const severity = decodeSeverity(row.severity);
	const coded = row.coded_term_code ? findCodedTerm(row.coded_term_code) : undefined;
	const candidates = row.entered_in_error_at
		? []
		: evaluateAdverseEvent(
				{
					id,
					term: row.verbatim_term,
					codedTerm: coded?.preferredTerm ?? null,
					serious: row.serious === 1,
					grade: severity.scale === 'ctcae' ? severity.grade : INTENSITY_GRADE[severity.intensity],
					specialInterest: coded?.specialInterest ?? false
				},
				protocol.safetyRules
			);
	return reconcileFlags(
		trx,
		ctx,
		{ kind: 'source', sourceType: 'adverse_event', sourceId: id },
		candidates,
		{
			studyId: participant.study_id,
			protocolVersionId,
			participantId: participant.id,
			siteId: row.site_id,
			sessionId: row.dosing_session_id
		},
		cause
	);
}

const YES = new Set(['yes', 'y', 'true', '1']);
const isYes = (v: unknown) =>
	v === true || v === 1 || (typeof v === 'string' && YES.has(v.trim().toLowerCase()));

function itemScoresOf(score: AdministrationScore): Record<string, number | null> {
	if (score.instrument === 'CSSRS') return {};
	const out: Record<string, number | null> = {};
	for (const [item, response] of Object.entries((score as ScaleScore).responses)) {
		if (response && !response.notAssessed) out[item] = response.score;
	}
	return out;
}

/** Item rules and C-SSRS on this administration; worsening over the participant's primary scale. */
export async function evaluateScaleRecord(
	trx: Trx,
	ctx: ServiceContext,
	id: number,
	cause: string
): Promise<void> {
	const row = await trx
		.selectFrom('scale_administration')
		.selectAll()
		.where('id', '=', id)
		.executeTakeFirstOrThrow();
	const participant = (await participantsRepo.findParticipant(trx, row.participant_id))!;
	const { protocol, protocolVersionId } = await activeProtocol(trx, participant.study_id);
	const rules = protocol.safetyRules;
	const score = JSON.parse(row.result) as AdministrationScore;
	const answers = JSON.parse(row.answers) as Record<string, unknown>;
	const cssrs =
		score.instrument === 'CSSRS'
			? {
					ideationTypesYes: [1, 2, 3, 4, 5].filter((t) => isYes(answers[String(t)])),
					behaviour: (score as CssrsScore).behaviour,
					behaviours: [...(score as CssrsScore).behaviours]
				}
			: undefined;
	const candidates = row.entered_in_error_at
		? []
		: evaluateAdministration(
				{ id, instrument: row.instrument as ScaleId, itemScores: itemScoresOf(score), cssrs },
				rules
			);
	const owner = {
		studyId: participant.study_id,
		protocolVersionId,
		participantId: participant.id,
		siteId: row.site_id,
		sessionId: null
	};
	await reconcileFlags(
		trx,
		ctx,
		{
			kind: 'source',
			sourceType: 'scale_administration',
			sourceId: id,
			excludeRuleId: RULE_IDS.worsening
		},
		candidates,
		owner,
		cause
	);
	if (row.instrument === protocol.scales.primary) {
		await evaluateWorseningFor(trx, ctx, participant.id, protocol.scales.primary, owner, cause);
	}
}

async function evaluateWorseningFor(
	trx: Trx,
	ctx: ServiceContext,
	participantId: number,
	instrument: ScaleId,
	owner: Parameters<typeof reconcileFlags>[4],
	cause: string
): Promise<void> {
	const { protocol } = await activeProtocol(trx, owner.studyId);
	const firstDose = await scalesRepo.firstDosingT0(trx, participantId);
	const rows = (
		await scalesRepo.listScaleAdministrationsOfParticipant(trx, participantId, { instrument })
	).filter((r) => r.complete === 1 && r.total !== null && !r.entered_in_error_at);
	const series = rows.map((r) => ({
		administrationId: r.id,
		at: r.administered_at,
		total: r.total!
	}));
	const baseline = firstDose ? baselineOf(series, firstDose) : null;
	const after = firstDose ? series.filter((p) => Date.parse(p.at) >= Date.parse(firstDose)) : [];
	const candidates = evaluateWorsening(instrument, baseline, after, protocol.safetyRules);
	await reconcileFlags(
		trx,
		ctx,
		{ kind: 'rule-participant', ruleId: RULE_IDS.worsening, participantId },
		candidates,
		owner,
		cause
	);
}
