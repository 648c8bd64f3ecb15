// Source data verification (DOMAIN-2 §8): a monitor marks a field of a record, or every field the
// protocol lists for it, verified against source. Each mark is bound to the value it verified, so
// a later change to that field sends it (and only it) back to pending, visibly, without any write
// having to know. What stands verified is read in ./sdv-status.ts.
import { z } from 'zod';
import { RECORD_FIELDS } from '../../../domain/monitoring/fields';
import {
	fieldSdvStatus,
	sdvFieldsOf,
	sdvValueText,
	type SdvMark
} from '../../../domain/monitoring/sdv-fields';
import { appendAudit } from '../../audit/log';
import { requireRole } from '../../auth/access';
import type { Trx } from '../../db';
import { writeTransaction } from '../../db/transaction';
import type { ServiceContext } from '../../runtime/context';
import { ConflictError, NotFoundError, ValidationError } from '../../runtime/errors';
import { parseInput } from '../../runtime/validate';
import * as records from '../../repositories/records';
import * as repo from '../../repositories/source-verification';
import { SDV_TYPES } from '../../repositories/source-verification';
import { actorUserId, assertClinicalRead } from '../people/clinical-access';
import { assertStudyWritable } from './freeze-lock';
import { recordSdv, sdvSettings, type RecordSdv } from './sdv-status';
import { keepRecordSdv } from './sdv-summary';

export const SDV_ACTION = 'sdv.verify' as const;

export const verifyInput = z.object({
	entityType: z.enum(SDV_TYPES, { error: 'Choose the record.' }),
	entityId: z.coerce.number().int().positive(),
	/** One field; left out, every field the protocol lists for the record that is not verified. */
	field: z.preprocess((v) => (v === null || v === '' ? undefined : v), z.string().optional()),
	source: z.preprocess(
		(v) => (v === null || v === '' ? undefined : v),
		z.string().trim().max(200).optional()
	)
});
type VerifyInput = z.infer<typeof verifyInput>;

/** The fields this act verifies: the one asked for, or the protocol's fields not standing verified. */
async function fieldsToVerify(
	trx: Trx,
	v: VerifyInput,
	record: { version: number; study_id: number }
): Promise<string[]> {
	if (v.field !== undefined) return [v.field];
	const settings = await sdvSettings(trx, record.study_id);
	const rows = await repo.verificationsOf(trx, v.entityType, v.entityId);
	const marks: SdvMark[] = rows.map((r) => ({
		field: r.field,
		value: r.value,
		version: r.entity_version
	}));
	const out: string[] = [];
	for (const field of sdvFieldsOf(settings.fields, v.entityType)) {
		const now = await records.findRecord(trx, v.entityType, v.entityId, field);
		const current = { value: sdvValueText(now?.value), version: record.version };
		if (fieldSdvStatus(field, current, marks).status !== 'verified') out.push(field);
	}
	if (out.length === 0) throw new ConflictError('Every field of this record is verified already.');
	return out;
}

/** One field's mark and its audit entry. */
async function markField(
	trx: Trx,
	ctx: ServiceContext,
	v: VerifyInput & { field: string },
	record: { site_id: number; participant_id: number; version: number; value: unknown }
): Promise<void> {
	const at = ctx.now().toISOString();
	const value = sdvValueText(record.value);
	const row = await repo.insertVerification(trx, {
		site_id: record.site_id,
		participant_id: record.participant_id,
		entity_type: v.entityType,
		entity_id: v.entityId,
		field: v.field,
		value,
		entity_version: record.version,
		source: v.source ?? null,
		verified_by: actorUserId(ctx.actor),
		verified_by_name: ctx.actor.kind === 'user' ? ctx.actor.name : 'system',
		verified_at: at
	});
	await appendAudit(trx, ctx, {
		action: SDV_ACTION,
		entityType: v.entityType,
		entityId: v.entityId,
		siteId: record.site_id,
		newValues: {
			verified: true,
			field: v.field,
			value,
			entityVersion: record.version,
			source: v.source ?? null,
			verificationId: row.id
		}
	});
}

/**
 * A monitor marks one field, or every field the protocol lists for the record that does not stand
 * verified, verified against source: one row and one audit entry per field, in one transaction.
 */
export async function verifySource(ctx: ServiceContext, input: unknown): Promise<RecordSdv> {
	requireRole(ctx.actor, 'monitor');
	const v = parseInput(verifyInput, input);
	if (v.field !== undefined && !Object.hasOwn(RECORD_FIELDS[v.entityType], v.field)) {
		throw new ValidationError({ field: ['Choose a field of this record.'] });
	}
	await writeTransaction(ctx.db, async (trx) => {
		const head = await records.findRecord(trx, v.entityType, v.entityId);
		if (!head) throw new NotFoundError('Record');
		assertClinicalRead(ctx.actor, head.site_id, 'Record');
		if (head.entered_in_error_at) throw new ConflictError('This record was entered in error.');
		await assertStudyWritable(trx, head.study_id);
		for (const field of await fieldsToVerify(trx, v, head)) {
			const now = await records.findRecord(trx, v.entityType, v.entityId, field);
			await markField(trx, ctx, { ...v, field }, { ...head, value: now?.value ?? null });
		}
		await keepRecordSdv(trx, { type: v.entityType, id: v.entityId });
	});
	return recordSdv(ctx, v.entityType, v.entityId);
}
