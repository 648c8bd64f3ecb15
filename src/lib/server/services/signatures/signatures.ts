// Investigators' electronic signatures (DOMAIN.md §5; 21 CFR 11.50, 11.70, 11.200): the printed
// name, UTC time and meaning, bound to the record's review version, so a later change voids them.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { SIGNATURE_MEANINGS, type SignatureMeaning } from '../../../domain/signatures';
import {
	signatureMeaningInput,
	signedRecordRef,
	signingComponents,
	signManyInput
} from '../../../schemas/review-queue';
import { plainNumber } from '../../../schemas/input';
import { AUDIT_ACTIONS } from '../../audit/actions';
import { appendAudit } from '../../audit/log';
import { isUser, requireRole } from '../../auth/access';
import type { ServiceContext } from '../../runtime/context';
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
import { checkComponents, componentsNeeded, startSigningPeriod } from './signing-components';
import { assertStudyWritableFor } from '../monitoring/freeze-lock';

export type { SignableType } from '../../repositories/signatures';
export { reviewQueue, type ReviewQueueItem } from '../safety/review-queue';

export { SIGNATURE_MEANINGS, type SignatureMeaning };

/** The meanings as a sign form lists them. */
export const signatureMeanings = () =>
	Object.entries(SIGNATURE_MEANINGS).map(([value, m]) => ({
		value: value as SignatureMeaning,
		...m
	}));
type MeaningLabel = (typeof SIGNATURE_MEANINGS)[SignatureMeaning]['label'];

const WHAT: Record<SignableType, string> = {
	dosing_session: 'Dosing session',
	adverse_event: 'Adverse event',
	scale_administration: 'Scale administration',
	protocol_deviation: 'Protocol deviation'
};
const signInput = signingComponents.extend({
	entityType: z.enum(repo.SIGNABLE_TYPES),
	entityId: z.preprocess(plainNumber, z.number().int().positive()),
	version: z.preprocess(plainNumber, z.number().int().positive()).optional(),
	meaning: signatureMeaningInput
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

/**
 * The signatures of several records of one type, by record id (records without any are absent),
 * each oldest first, as signaturesFor gives them: one query for the lot, and the record's review
 * version read only for records that have a signature. No access check: for services.
 */
export async function signaturesForRecords(
	db: Executor,
	entityType: SignableType,
	entityIds: readonly number[]
): Promise<Map<number, SignatureView[]>> {
	const byRecord = new Map<number, Signature[]>();
	for (const s of await repo.listSignaturesOfRecords(db, entityType, entityIds)) {
		const rows = byRecord.get(s.entity_id);
		if (rows) rows.push(s);
		else byRecord.set(s.entity_id, [s]);
	}
	const out = new Map<number, SignatureView[]>();
	for (const [id, rows] of byRecord) {
		const record = await repo.findSignable(db, entityType, id);
		out.set(
			id,
			rows.map((s) => toView(s, record?.review_version ?? null))
		);
	}
	return out;
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

/** Signs a record: the investigator's password again, and the meaning of the signature. */
export async function signRecord(ctx: ServiceContext, input: unknown): Promise<SignatureView> {
	if (ctx.actor.kind === 'anonymous') throw new AuthenticationError('Please sign in.');
	if (ctx.actor.kind !== 'user') {
		throw new ForbiddenError('Only a signed-in investigator can sign.');
	}
	requireRole(ctx.actor, 'investigator');
	const v = parseInput(signInput, input);
	const ref = { entityType: v.entityType, entityId: v.entityId, version: v.version };
	const [signature] = await signRecords(ctx, { ...v, records: [ref] });
	return signature!;
}

type RecordRef = z.infer<typeof signedRecordRef>;

/**
 * Access before validation: a record of a site the signer does not hold is "not found" whatever
 * else the request holds wrong (a missing password would otherwise tell that it exists).
 */
async function assertRecordsVisible(ctx: ServiceContext, input: unknown): Promise<void> {
	const refs = (input as { records?: unknown } | null)?.records;
	if (!Array.isArray(refs)) return;
	for (const item of refs) {
		const ref = signedRecordRef.safeParse(item);
		if (!ref.success) continue;
		const record = await repo.findSignable(ctx.db, ref.data.entityType, ref.data.entityId);
		if (!record) throw new NotFoundError(WHAT[ref.data.entityType]);
		assertClinicalRead(ctx.actor, record.site_id, WHAT[ref.data.entityType]);
	}
}

/** Each record, readable and signable now, and as the signer saw it (when a version was sent). */
async function recordsToSign(ctx: ServiceContext, db: Executor, refs: RecordRef[]) {
	const out = [];
	for (const ref of refs) {
		const found = await recordToSign(ctx, db, ref.entityType, ref.entityId);
		if (ref.version !== undefined && found.record.review_version !== ref.version) {
			throw new ConflictError(
				`${WHAT[ref.entityType]} ${ref.entityId} changed since you opened it: review it again. Nothing was signed.`
			);
		}
		out.push({ ref, record: found.record, signer: found.signer });
	}
	return out;
}

/**
 * Signs one or many records in one act (a casebook, a page of the queue): the components once, then
 * each record its own signature row with the meaning, printed name and time, each audited. All or
 * nothing: a record that changed since the signer saw it refuses the whole act.
 */
export async function signRecords(ctx: ServiceContext, input: unknown): Promise<SignatureView[]> {
	// Only a signed-in investigator signs (never the CLI operator): say so before anything else.
	if (ctx.actor.kind === 'anonymous') throw new AuthenticationError('Please sign in.');
	if (ctx.actor.kind !== 'user') {
		throw new ForbiddenError('Only a signed-in investigator can sign.');
	}
	requireRole(ctx.actor, 'investigator');
	await assertRecordsVisible(ctx, input);
	const v = parseInput(signManyInput, input);
	const keys = new Set(v.records.map((r) => `${r.entityType}:${r.entityId}`));
	if (keys.size !== v.records.length) {
		throw new ValidationError({ records: ['Each record once, please.'] });
	}
	const first = (await recordsToSign(ctx, ctx.db, v.records))[0]!;
	const what = v.records.map((r) => ({ entityType: r.entityType, entityId: r.entityId }));
	const { both } = await checkComponents(ctx, first.signer, v, {
		siteId: first.record.site_id,
		newValues:
			what.length === 1 ? { ...what[0], meaning: v.meaning } : { records: what, meaning: v.meaning }
	});
	return writeTransaction(ctx.db, async (trx) => {
		const current = await recordsToSign(ctx, trx, v.records);
		// A locked study takes no signatures either (sign casebooks before the lock).
		for (const pid of new Set(current.map((c) => c.record.participant_id))) {
			await assertStudyWritableFor(trx, pid);
		}
		const user = await usersRepo.findUserById(trx, first.signer.id);
		const signedAt = ctx.now().toISOString();
		const batch = current.length > 1 ? batchScope(current) : null;
		const views: SignatureView[] = [];
		for (const { ref, record } of current) {
			const signature = await repo.insertSignature(trx, {
				entity_type: ref.entityType,
				entity_id: ref.entityId,
				entity_version: record.review_version,
				site_id: record.site_id,
				signer_id: first.signer.id,
				signer_name: user?.name ?? first.signer.name,
				meaning: v.meaning,
				signed_at: signedAt
			});
			await appendAudit(trx, ctx, {
				action: AUDIT_ACTIONS.signatureApplied,
				entityType: 'signature',
				entityId: signature.id,
				siteId: signature.site_id,
				newValues: {
					entityType: ref.entityType,
					entityId: ref.entityId,
					meaning: v.meaning,
					entityVersion: signature.entity_version,
					signerName: signature.signer_name,
					signedAt: signature.signed_at,
					components: both ? 'user id and password' : 'password',
					...(batch ? { batchOf: current.length, batchScopeSha256: batch } : {})
				}
			});
			views.push(toView(signature, record.review_version));
		}
		if (both) await startSigningPeriod(trx, ctx);
		return views;
	});
}

/** SHA-256 over the signed records and their versions, the same in every row of one act. */
function batchScope(records: Array<{ ref: RecordRef; record: SignableRow }>): string {
	const scope = records
		.map((r) => `${r.ref.entityType}:${r.ref.entityId}@${r.record.review_version}`)
		.sort()
		.join('\n');
	return createHash('sha256').update(scope).digest('hex');
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

/**
 * Lifting a freeze or a lock voids the signatures it stood behind: every standing signature on
 * the participant's (or the study's) records, each voided and audited with the cause (DOMAIN-2 §8:
 * unlock voids affected signatures). The records go back to the review queue. Returns how many
 * records lost their signatures.
 */
export async function voidSignaturesWithin(
	trx: Trx,
	ctx: ServiceContext,
	scope: { participantId: number } | { studyId: number },
	cause: string
): Promise<number> {
	const records = await repo.signedRecordsOf(trx, scope);
	for (const r of records) await voidSignatures(trx, ctx, r.entity_type, r.entity_id, cause);
	return records.length;
}

export interface SignaturePanelData {
	signatures: SignatureView[];
	/** The actor may sign this record now. */
	canSign: boolean;
	/** What the sign form asks for: both components, or (later in a sign-in session) the password. */
	components: 'both' | 'password';
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
		components: await componentsNeeded(ctx),
		blocked,
		meanings: signatureMeanings()
	};
}
