// Randomisation with allocation concealment (DOMAIN-2.md §1; CONSORT item 9): the stratum's list
// is made from the study's CSPRNG seed the first time the stratum is used, and a participant takes
// the stratum's next free slot in one transaction with its audit entry. Blinded roles see the kit
// number; the audit trail holds the algorithm, parameters and SHA-256 of each list, never the seed
// or an arm.
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import {
	ALLOCATION_ALGORITHM,
	allocationDigest,
	stratumAllocationList,
	stratumOf,
	type RandomisationSettings
} from '../../../domain/randomisation';
import { AUDIT_ACTIONS } from '../../audit/actions';
import { appendAudit } from '../../audit/log';
import type { Trx } from '../../db';
import type { Participant, RandomisationRow } from '../../db/schema';
import { writeTransaction } from '../../db/transaction';
import * as allocation from '../../repositories/allocation';
import * as repo from '../../repositories/randomisation';
import * as scalesRepo from '../../repositories/scales';
import * as sitesRepo from '../../repositories/sites';
import type { ServiceContext } from '../../runtime/context';
import { ConflictError, ValidationError } from '../../runtime/errors';
import {
	getParticipant,
	getParticipantToWrite,
	participantForWrite
} from '../capture/participants';
import { actorUserId } from '../people/clinical-access';
import { activeProtocol } from '../protocol/studies';
import { requireValidConsent } from './consent';
import type { ScaleId } from '../../../domain/scales';

/** What every role may see of a participant's randomisation. */
export interface RandomisationView {
	randomised: boolean;
	kit: string | null;
	stratum: string | null;
	randomisedAt: string | null;
	unblindedAt: string | null;
	unblindedByName: string | null;
	unblindReason: string | null;
}

export function randomisationView(r: RandomisationRow | undefined): RandomisationView {
	return {
		randomised: r !== undefined,
		kit: r?.kit ?? null,
		stratum: r?.stratum ?? null,
		randomisedAt: r?.randomised_at ?? null,
		unblindedAt: r?.unblinded_at ?? null,
		unblindedByName: r?.unblinded_by_name ?? null,
		unblindReason: r?.unblind_reason ?? null
	};
}

export async function participantRandomisation(
	ctx: ServiceContext,
	participantId: number
): Promise<RandomisationView> {
	await getParticipant(ctx, participantId);
	return randomisationView(await repo.findRandomisation(ctx.db, participantId));
}

function newSeed(): string {
	const bytes = new Uint8Array(32);
	crypto.getRandomValues(bytes); // CSPRNG seed (DOMAIN-2.md §1)
	return encodeHexLowerCase(bytes);
}

/** The study's seed, made on first use; its creation is audited with its digest only. */
async function seedFor(trx: Trx, ctx: ServiceContext, studyId: number): Promise<string> {
	const existing = await allocation.findSeed(trx, studyId);
	if (existing) return existing.seed;
	const seed = newSeed();
	await allocation.insertSeed(trx, {
		study_id: studyId,
		seed,
		algorithm: ALLOCATION_ALGORITHM,
		created_at: ctx.now().toISOString()
	});
	return seed;
}

/** Generates the stratum's list when it is first needed; audited without seed or arms. */
async function ensureStratumList(
	trx: Trx,
	ctx: ServiceContext,
	studyId: number,
	settings: RandomisationSettings,
	stratum: string
): Promise<void> {
	if ((await allocation.stratumSize(trx, studyId, stratum)) > 0) return;
	const seed = await seedFor(trx, ctx, studyId);
	const params = {
		seed,
		arms: settings.arms.map((a) => ({ code: a.code, ratio: a.ratio })),
		blockSizes: settings.blockSizes,
		slotsPerStratum: settings.slotsPerStratum
	};
	const list = stratumAllocationList(params, stratum);
	await allocation.insertSlots(
		trx,
		list.map((s) => ({
			study_id: studyId,
			stratum,
			sequence: s.sequence,
			block: s.block,
			block_size: s.blockSize,
			arm: s.arm,
			kit: s.kit,
			participant_id: null
		}))
	);
	await appendAudit(trx, ctx, {
		action: AUDIT_ACTIONS.allocationListGenerated,
		entityType: 'allocation_list',
		entityId: `${studyId}:${stratum}`,
		newValues: {
			algorithm: ALLOCATION_ALGORITHM,
			stratum,
			arms: params.arms,
			blockSizes: params.blockSizes,
			slots: list.length,
			listSha256: allocationDigest(list),
			seedSha256: encodeHexLowerCase(sha256(new TextEncoder().encode(seed)))
		}
	});
}

/** The latest complete baseline total of the stratifying scale given up to now. */
async function baselineScore(
	trx: Trx,
	p: Participant,
	scale: string,
	now: string
): Promise<number | null> {
	const rows = await scalesRepo.listScaleAdministrationsOfParticipant(trx, p.id, {
		instrument: scale as ScaleId
	});
	const done = rows.filter((r) => r.complete === 1 && r.total !== null && r.administered_at <= now);
	return done.at(-1)?.total ?? null;
}

export interface RandomisationResult extends RandomisationView {
	kit: string;
	stratum: string;
}

/** Randomises one enrolled participant (coordinator at the site). Once only; audited. */
export async function randomiseParticipant(
	ctx: ServiceContext,
	participantId: number
): Promise<RandomisationResult> {
	const p = await getParticipantToWrite(ctx, participantId);
	const { protocol } = await activeProtocol(ctx.db, p.study_id);
	const settings = protocol.randomisation;
	if (!settings.enabled) throw new ConflictError('This study’s protocol does not randomise.');
	const site = (await sitesRepo.findSiteById(ctx.db, p.site_id))!;
	const at = ctx.now().toISOString();
	return writeTransaction(ctx.db, async (trx) => {
		const participant = await participantForWrite(ctx, trx, participantId);
		if (participant.status !== 'enrolled') {
			throw new ConflictError(
				`Only enrolled participants are randomised; this one is ${participant.status}.`
			);
		}
		if (await repo.findRandomisation(trx, participantId)) {
			throw new ConflictError(
				'This participant is already randomised; a participant is randomised once.'
			);
		}
		await requireValidConsent(trx, ctx, participant, { what: 'randomisation', at });
		const scale = settings.severityBand?.scale ?? 'MADRS';
		const stratum = stratumOf(settings, {
			siteCode: site.code,
			baselineScore: settings.severityBand ? await baselineScore(trx, participant, scale, at) : null
		});
		if (!stratum.ok) throw new ValidationError({ baseline: [stratum.message] }, stratum.message);
		await ensureStratumList(trx, ctx, participant.study_id, settings, stratum.stratum);
		const slot = await allocation.nextFreeSlot(trx, participant.study_id, stratum.stratum);
		if (!slot || !(await allocation.takeSlot(trx, slot.id, participantId))) {
			throw new ConflictError(
				`The allocation list of stratum ${stratum.stratum} is used up; ask the trial statistician to extend it.`
			);
		}
		const row = await repo.insertRandomisation(trx, {
			participant_id: participantId,
			study_id: participant.study_id,
			site_id: participant.site_id,
			stratum: stratum.stratum,
			kit: slot.kit,
			randomised_at: at,
			randomised_by: actorUserId(ctx.actor),
			unblinded_at: null,
			unblinded_by: null,
			unblinded_by_name: null,
			unblind_reason: null
		});
		// Never the arm, the slot's sequence or its block: blinded readers of the trail read this.
		await appendAudit(trx, ctx, {
			action: AUDIT_ACTIONS.participantRandomised,
			entityType: 'participant',
			entityId: participantId,
			siteId: participant.site_id,
			newValues: { stratum: stratum.stratum, kit: slot.kit, algorithm: ALLOCATION_ALGORITHM }
		});
		return { ...randomisationView(row), kit: row.kit, stratum: row.stratum };
	});
}
