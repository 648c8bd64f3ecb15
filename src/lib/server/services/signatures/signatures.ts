// Investigators' electronic signatures (DOMAIN.md §5; 21 CFR 11.50, 11.70, 11.200): the printed
// name, UTC time and meaning, bound to the record's review version, so a later change voids them.
import { z } from 'zod';
import { SIGNATURE_MEANINGS, type SignatureMeaning } from '../../../domain/signatures';
import { plainNumber } from '../../../schemas/input';
import { AUDIT_ACTIONS } from '../../audit/actions';
import { appendAudit } from '../../audit/log';
import { isUser, requireRole } from '../../auth/access';
import { verifyPassword } from '../../auth/password';
import { throttleWaitMs } from '../../auth/policy';
import type { ServiceContext, UserActor } from '../../runtime/context';
import type { Executor, Trx } from '../../db';
import type { Signature } from '../../db/schema';
import { writeTransaction } from '../../db/transaction';
import {
	AuthenticationError,
	ConflictError,
	ForbiddenError,
	NotFoundError,
	ValidationError
} from '../../runtime/errors';
import * as repo from '../../repositories/signatures';
import type { SignableRow, SignableType } from '../../repositories/signatures';
import * as usersRepo from '../../repositories/users';
import { parseInput } from '../../runtime/validate';
import { assertClinicalRead } from '../people/clinical-access';

export type { SignableType } from '../../repositories/signatures';
export { reviewQueue, type ReviewQueueItem } from '../safety/review-queue';

export { SIGNATURE_MEANINGS, type SignatureMeaning };
type MeaningLabel = (typeof SIGNATURE_MEANINGS)[SignatureMeaning]['label'];

const WHAT: Record<SignableType, string> = {
	dosing_session: 'Dosing session',
	adverse_event: 'Adverse event',
	scale_administration: 'Scale administration'
};
const FAILED = 'signature.failed';

const signInput = z.object({
	entityType: z.enum(repo.SIGNABLE_TYPES),
	entityId: z.preprocess(plainNumber, z.number().int().positive()),
	meaning: z.enum(['reviewed', 'approved', 'responsible'], {
		error: 'Choose what your signature means.'
	}),
	// 21 CFR 11.200(a): both components, user id and password, at every signing (the first of a
	// session needs both; asking every time is the simple way to be sure).
	userId: z
		.string({ error: 'Enter your user id (your sign-in email) to sign.' })
		.trim()
		.toLowerCase()
		.min(1, 'Enter your user id (your sign-in email) to sign.'),
	password: z
		.string({ error: 'Enter your password to sign.' })
		.min(1, 'Enter your password to sign.')
});

export interface SignatureView {
	id: number;
	meaning: SignatureMeaning;
	meaningLabel: MeaningLabel;
	signerName: string;
	/** UTC, ISO 8601. */
	signedAt: string;
	/** Void when voided, or when the record changed since (whoever forgot to void it). */
	status: 'valid' | 'void';
	voidedAt: string | null;
	voidedReason: string | null;
}

function toView(s: Signature, currentVersion: number | null): SignatureView {
	const meaning = s.meaning as SignatureMeaning;
	const valid = s.voided_at === null && s.entity_version === currentVersion;
	return {
		id: s.id,
		meaning,
		meaningLabel: SIGNATURE_MEANINGS[meaning].label,
		signerName: s.signer_name,
		signedAt: s.signed_at,
		status: valid ? 'valid' : 'void',
		voidedAt: s.voided_at,
		voidedReason: s.voided_reason
	};
}

/** Every signature of a record, oldest first, each valid or void. No access check: for services. */
export async function signaturesFor(
	db: Executor,
	entityType: SignableType,
	entityId: number
): Promise<SignatureView[]> {
	const record = await repo.findSignable(db, entityType, entityId);
	const rows = await repo.listSignatures(db, entityType, entityId);
	return rows.map((s) => toView(s, record?.review_version ?? null));
}

/** Why the record cannot be signed now, or null. */
function blockedReason(type: SignableType, record: SignableRow): string | null {
	if (record.entered_in_error_at) return `This ${WHAT[type].toLowerCase()} was entered in error.`;
	if (!record.ready) return 'The session can be signed once it has ended.';
	return null;
}

/** The record, for an investigator at its site who may sign it now. */
async function recordToSign(ctx: ServiceContext, db: Executor, type: SignableType, id: number) {
	const record = await repo.findSignable(db, type, id);
	if (!record) throw new NotFoundError(WHAT[type]);
	assertClinicalRead(ctx.actor, record.site_id, WHAT[type]);
	requireRole(ctx.actor, 'investigator');
	if (!isUser(ctx.actor)) throw new ForbiddenError('Only a person signs.');
	const blocked = blockedReason(type, record);
	if (blocked) throw new ConflictError(blocked);
	return { record, signer: ctx.actor };
}

/** Password checked before the write lock (argon2 is slow); a wrong one is audited, not signed. */
async function checkPassword(
	ctx: ServiceContext,
	signer: UserActor,
	credentials: { userId: string; password: string },
	attempt: { siteId: number; newValues: Record<string, unknown> }
): Promise<void> {
	const user = await usersRepo.findUserById(ctx.db, signer.id);
	const now = ctx.now().getTime();
	// Wrong signing passwords count with failed sign-ins: the same growing delay, no hashing while
	// it lasts, so a signature form cannot be used to guess a password.
	const throttled = user ? throttleWaitMs(user, now) > 0 : true;
	const passwordOk =
		user && !throttled ? await verifyPassword(user.password_hash, credentials.password) : false;
	if (user && !user.disabled_at && user.email === credentials.userId && passwordOk) {
		if (user.failed_sign_ins > 0) {
			await writeTransaction(ctx.db, (trx) =>
				usersRepo.updateUser(trx, user.id, { failed_sign_ins: 0, last_failed_sign_in_at: null })
			);
		}
		return;
	}
	await writeTransaction(ctx.db, async (trx) => {
		if (user && !throttled) await usersRepo.recordFailedSignIn(trx, user.id, now);
		await appendAudit(trx, ctx, {
			action: FAILED,
			entityType: 'signature',
			entityId: null,
			...attempt,
			newValues: { ...attempt.newValues, throttled }
		});
	});
	throw new ValidationError({
		password: [
			throttled
				? 'Too many wrong passwords: wait a moment and try again. Nothing was signed.'
				: 'That user id and password are not yours. Nothing was signed.'
		]
	});
}

/** Signs a record: the investigator's password again, and the meaning of the signature. */
export async function signRecord(ctx: ServiceContext, input: unknown): Promise<SignatureView> {
	// Only a signed-in investigator signs (never the CLI operator): say so before anything else.
	if (ctx.actor.kind === 'anonymous') throw new AuthenticationError('Please sign in.');
	if (ctx.actor.kind !== 'user') {
		throw new ForbiddenError('Only a signed-in investigator can sign.');
	}
	requireRole(ctx.actor, 'investigator');
	const v = parseInput(signInput, input);
	const { record, signer } = await recordToSign(ctx, ctx.db, v.entityType, v.entityId);
	const what = { entityType: v.entityType, entityId: v.entityId, meaning: v.meaning };
	await checkPassword(ctx, signer, v, { siteId: record.site_id, newValues: what });
	return writeTransaction(ctx.db, async (trx) => {
		const { record: current } = await recordToSign(ctx, trx, v.entityType, v.entityId);
		const user = await usersRepo.findUserById(trx, signer.id);
		const signature = await repo.insertSignature(trx, {
			entity_type: v.entityType,
			entity_id: v.entityId,
			entity_version: current.review_version,
			site_id: current.site_id,
			signer_id: signer.id,
			signer_name: user?.name ?? signer.name,
			meaning: v.meaning,
			signed_at: ctx.now().toISOString()
		});
		await appendAudit(trx, ctx, {
			action: AUDIT_ACTIONS.signatureApplied,
			entityType: 'signature',
			entityId: signature.id,
			siteId: signature.site_id,
			newValues: {
				...what,
				entityVersion: signature.entity_version,
				signerName: signature.signer_name,
				signedAt: signature.signed_at
			}
		});
		return toView(signature, current.review_version);
	});
}

/**
 * Voids the valid signatures of a record that is changing, each audited with the cause. Call it
 * inside the write transaction of every change to a signable record (readings: their session).
 */
export async function voidSignatures(
	trx: Trx,
	ctx: ServiceContext,
	entityType: SignableType,
	entityId: number,
	cause: string
): Promise<void> {
	const at = ctx.now().toISOString();
	for (const s of await repo.voidSignaturesOf(trx, entityType, entityId, at, cause)) {
		await appendAudit(trx, ctx, {
			action: AUDIT_ACTIONS.signatureVoided,
			entityType: 'signature',
			entityId: s.id,
			siteId: s.site_id,
			oldValues: { voidedAt: null },
			newValues: { entityType, entityId, entityVersion: s.entity_version, voidedAt: at },
			reason: cause
		});
	}
}

export interface SignaturePanelData {
	signatures: SignatureView[];
	/** The actor may sign this record now. */
	canSign: boolean;
	/** For an investigator: why the record cannot be signed yet. */
	blocked: string | null;
	meanings: Array<{ value: SignatureMeaning; label: string; says: string }>;
}

/** What a record's page shows of its signatures, after the read check. */
export async function signaturePanel(
	ctx: ServiceContext,
	entityType: SignableType,
	entityId: number
): Promise<SignaturePanelData> {
	const record = await repo.findSignable(ctx.db, entityType, entityId);
	if (!record) throw new NotFoundError(WHAT[entityType]);
	assertClinicalRead(ctx.actor, record.site_id, WHAT[entityType]);
	const investigator = isUser(ctx.actor) && ctx.actor.role === 'investigator';
	const blocked = investigator ? blockedReason(entityType, record) : null;
	return {
		signatures: await signaturesFor(ctx.db, entityType, entityId),
		canSign: investigator && blocked === null,
		blocked,
		meanings: Object.entries(SIGNATURE_MEANINGS).map(([value, m]) => ({
			value: value as SignatureMeaning,
			...m
		}))
	};
}
