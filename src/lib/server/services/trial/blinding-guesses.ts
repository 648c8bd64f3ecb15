// Blinding guesses (DOMAIN-2.md §2): after each dosing session and at the end of treatment the
// participant, the therapist and the rater each guess the arm (or say they don't know) with a
// confidence. A coordinator records them from the site's form; one standing guess per respondent
// and timepoint; a session's guess only once that session has ended; a wrong entry is marked
// entered in error with a reason. Guesses never hold an arm, so every reader may see them.
import type { BlindingGuessRow } from '../../db/schema';
import { blindingGuessInput } from '../../../schemas/blinding-guess';
import { AUDIT_ACTIONS } from '../../audit/actions';
import { appendAudit } from '../../audit/log';
import { writeTransaction } from '../../db/transaction';
import * as repo from '../../repositories/blinding-guesses';
import * as sessionsRepo from '../../repositories/dosing-sessions';
import type { ServiceContext } from '../../runtime/context';
import { ConflictError, NotFoundError, ValidationError } from '../../runtime/errors';
import { parseInput } from '../../runtime/validate';
import { strikeRecord, requireReason, newRecordColumns } from '../capture/corrections';
import { getParticipant, participantForWrite } from '../capture/participants';

/** A guess as the JSON API gives it. */
export function blindingGuessView(g: BlindingGuessRow) {
	return {
		id: g.id,
		participantId: g.participant_id,
		respondent: g.respondent,
		timepoint: g.timepoint,
		dosingSessionId: g.dosing_session_id,
		guess: g.guess,
		confidence: g.confidence,
		recordedAt: g.recorded_at,
		enteredInErrorAt: g.entered_in_error_at,
		enteredInErrorReason: g.entered_in_error_reason
	};
}

export async function getBlindingGuess(ctx: ServiceContext, id: number) {
	const g = await repo.findGuess(ctx.db, id);
	if (!g) throw new NotFoundError('Blinding guess');
	await getParticipant(ctx, g.participant_id);
	return blindingGuessView(g);
}

export async function listBlindingGuesses(
	ctx: ServiceContext,
	participantId: number
): Promise<BlindingGuessRow[]> {
	await getParticipant(ctx, participantId);
	return repo.listGuessesOfParticipant(ctx.db, participantId);
}

/** The guess timepoints a participant can answer now: each ended session, then end of treatment. */
export async function guessTimepoints(
	ctx: ServiceContext,
	participantId: number
): Promise<Array<{ code: string; label: string }>> {
	await getParticipant(ctx, participantId);
	const sessions = await sessionsRepo.listSessionsOfParticipant(ctx.db, participantId);
	return [
		...sessions
			.filter((s) => !s.entered_in_error_at && s.ended_at)
			.map((s) => ({
				code: `DS${s.session_number}`,
				label: `After dosing session ${s.session_number} (${s.t0.slice(0, 10)})`
			})),
		{ code: 'EOT', label: 'End of treatment' }
	];
}

export async function recordBlindingGuess(
	ctx: ServiceContext,
	participantId: number,
	input: unknown
): Promise<BlindingGuessRow> {
	const at = ctx.now().toISOString();
	return writeTransaction(ctx.db, async (trx) => {
		// Access first: a caller who may not touch the record hears nothing about its input.
		const p = await participantForWrite(ctx, trx, participantId);
		const v = parseInput(blindingGuessInput, input);
		let sessionId: number | null = null;
		if (v.timepoint !== 'EOT') {
			const number = Number(v.timepoint.slice(2));
			const session = (await sessionsRepo.listSessionsOfParticipant(trx, p.id)).find(
				(s) => s.session_number === number && !s.entered_in_error_at
			);
			if (!session?.ended_at || session.ended_at > at) {
				throw new ValidationError({
					timepoint: [
						`Dosing session ${number} has not ended: the guess is asked after the session.`
					]
				});
			}
			sessionId = session.id;
		}
		if (await repo.findStandingGuess(trx, p.id, v.respondent, v.timepoint)) {
			throw new ConflictError(
				`The ${v.respondent}'s guess at ${v.timepoint} is already recorded; mark it entered in error to replace it.`,
				{ timepoint: [`The ${v.respondent} has already guessed at ${v.timepoint}.`] }
			);
		}
		const row = await repo.insertGuess(trx, {
			participant_id: p.id,
			site_id: p.site_id,
			respondent: v.respondent,
			timepoint: v.timepoint,
			dosing_session_id: sessionId,
			guess: v.guess,
			confidence: v.confidence,
			recorded_at: at,
			...newRecordColumns(ctx, at)
		});
		await appendAudit(trx, ctx, {
			action: AUDIT_ACTIONS.blindingGuessRecorded,
			entityType: 'blinding_guess',
			entityId: row.id,
			siteId: p.site_id,
			newValues: {
				participantId: p.id,
				respondent: v.respondent,
				timepoint: v.timepoint,
				guess: v.guess,
				confidence: v.confidence
			}
		});
		return row;
	});
}

export async function markBlindingGuessEnteredInError(
	ctx: ServiceContext,
	id: number,
	input: { reason?: unknown }
): Promise<void> {
	await writeTransaction(ctx.db, async (trx) => {
		const before = await repo.findGuess(trx, id);
		if (!before) throw new NotFoundError('Blinding guess');
		// Access first: a caller who may not touch the record hears nothing about its input.
		await participantForWrite(ctx, trx, before.participant_id);
		const reason = requireReason(input.reason, 'Say why this guess was entered in error.');
		if (before.entered_in_error_at) return;
		await strikeRecord(
			trx,
			ctx,
			{
				action: AUDIT_ACTIONS.blindingGuessEnteredInError,
				entityType: 'blinding_guess',
				entityId: id,
				siteId: before.site_id
			},
			reason,
			(struck) => repo.updateGuess(trx, id, struck.columns)
		);
	});
}
