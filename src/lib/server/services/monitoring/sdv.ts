// Source data verification (DOMAIN-2 §8): a monitor marks a record, or one of its fields, verified
// against source. The mark is bound to what was verified (the record's version, the field's
// value), so a later change sends it back to pending, visibly, without any write having to know.
import { z } from 'zod';
import { fieldLabel, RECORD_FIELDS } from '../../../domain/monitoring/fields';
import {
	DEFAULT_SDV_SETTINGS,
	sdvRequired,
	sdvStatus,
	type SdvSettings,
	type SdvStatus
} from '../../../domain/monitoring/sdv';
import { appendAudit } from '../../audit/log';
import { requireRole } from '../../auth/access';
import type { Executor } from '../../db';
import { writeTransaction } from '../../db/transaction';
import type { ServiceContext } from '../../runtime/context';
import { ConflictError, NotFoundError, ValidationError } from '../../runtime/errors';
import { parseInput } from '../../runtime/validate';
import * as records from '../../repositories/records';
import * as repo from '../../repositories/source-verification';
import { SDV_TYPES, type SdvType } from '../../repositories/source-verification';
import { activeProtocol } from '../protocol/studies';
import { actorUserId, assertClinicalRead, clinicalReadScope } from '../people/clinical-access';
import { assertStudyWritable } from './freeze-lock';

export const SDV_ACTION = 'sdv.verify' as const;

export const verifyInput = z.object({
	entityType: z.enum(SDV_TYPES, { error: 'Choose the record.' }),
	entityId: z.coerce.number().int().positive(),
	field: z.preprocess((v) => (v === null || v === '' ? undefined : v), z.string().optional()),
	source: z.preprocess(
		(v) => (v === null || v === '' ? undefined : v),
		z.string().trim().max(200).optional()
	)
});

/** The study's SDV setting (the protocol's `monitoring.sdv`, or the default). */
export async function sdvSettings(db: Executor, studyId: number): Promise<SdvSettings> {
	const { protocol } = await activeProtocol(db, studyId);
	return protocol.monitoring?.sdv ?? DEFAULT_SDV_SETTINGS;
}

const asText = (v: unknown): string | null =>
	v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v);

/** A monitor marks a record (or one field) verified against source. */
export async function verifySource(ctx: ServiceContext, input: unknown): Promise<RecordSdv> {
	requireRole(ctx.actor, 'monitor');
	const v = parseInput(verifyInput, input);
	if (v.field !== undefined && !(v.field in RECORD_FIELDS[v.entityType])) {
		throw new ValidationError({ field: ['Choose a field of this record.'] });
	}
	await writeTransaction(ctx.db, async (trx) => {
		const record = await records.findRecord(trx, v.entityType, v.entityId, v.field);
		if (!record) throw new NotFoundError('Record');
		assertClinicalRead(ctx.actor, record.site_id, 'Record');
		if (record.entered_in_error_at) throw new ConflictError('This record was entered in error.');
		await assertStudyWritable(trx, record.study_id);
		const at = ctx.now().toISOString();
		const value = v.field === undefined ? null : asText(record.value);
		const row = await repo.insertVerification(trx, {
			site_id: record.site_id,
			participant_id: record.participant_id,
			entity_type: v.entityType,
			entity_id: v.entityId,
			field: v.field ?? null,
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
				field: v.field ?? null,
				value,
				entityVersion: record.version,
				source: v.source ?? null,
				verificationId: row.id
			}
		});
	});
	return recordSdv(ctx, v.entityType, v.entityId);
}

export interface FieldSdv {
	field: string;
	label: string;
	status: 'verified' | 'changed';
	verifiedAt: string;
	verifiedBy: string;
}

export interface RecordSdv {
	required: boolean;
	status: SdvStatus;
	verifiedAt: string | null;
	verifiedBy: string | null;
	source: string | null;
	fields: FieldSdv[];
	/** The fields a monitor may verify one by one. */
	fieldChoices: Array<{ field: string; label: string }>;
	canVerify: boolean;
}

/** A record's SDV state, for its page and the API. */
export async function recordSdv(
	ctx: ServiceContext,
	type: SdvType,
	id: number
): Promise<RecordSdv> {
	const head = await records.findRecord(ctx.db, type, id);
	if (!head) throw new NotFoundError('Record');
	assertClinicalRead(ctx.actor, head.site_id, 'Record');
	const [candidate] = await repo
		.sdvCandidates(ctx.db, [head.site_id], head.participant_id)
		.then((all) => all.filter((c) => c.entity_type === type && c.entity_id === id));
	const settings = await sdvSettings(ctx.db, head.study_id);
	const required = sdvRequired(settings, {
		type,
		id,
		serious: candidate?.serious === 1,
		instrument: candidate?.instrument ?? undefined
	});
	const rows = await repo.verificationsOf(ctx.db, type, id);
	const whole = rows.filter((r) => r.field === null).at(-1) ?? null;
	const latestByField = new Map(rows.filter((r) => r.field !== null).map((r) => [r.field!, r]));
	const fields: FieldSdv[] = [];
	for (const [field, r] of latestByField) {
		const now = await records.findRecord(ctx.db, type, id, field);
		fields.push({
			field,
			label: fieldLabel(type, field),
			status: asText(now?.value) === r.value ? 'verified' : 'changed',
			verifiedAt: r.verified_at,
			verifiedBy: r.verified_by_name
		});
	}
	return {
		required,
		status: sdvStatus(required, head.version, whole?.entity_version ?? null),
		verifiedAt: whole?.verified_at ?? null,
		verifiedBy: whole?.verified_by_name ?? null,
		source: whole?.source ?? null,
		fields,
		fieldChoices: Object.keys(RECORD_FIELDS[type]).map((f) => ({
			field: f,
			label: fieldLabel(type, f)
		})),
		canVerify:
			ctx.actor.kind === 'user' && ctx.actor.role === 'monitor' && !head.entered_in_error_at
	};
}

export interface SdvProgress {
	siteCode: string;
	participantId: number | null;
	subjectCode: string | null;
	required: number;
	verified: number;
	/** Verified once, changed since: back to pending. */
	changed: number;
}

/** Required records verified, per participant and per site (participantId null: the site). */
export async function sdvProgress(ctx: ServiceContext): Promise<SdvProgress[]> {
	const scope = clinicalReadScope(ctx.actor);
	const candidates = await repo.sdvCandidates(ctx.db, scope);
	const studyOf = new Map(
		(await ctx.db.selectFrom('participant').select(['id', 'study_id']).execute()).map((p) => [
			p.id,
			p.study_id
		])
	);
	const settings = new Map<number, SdvSettings>();
	const rows = new Map<string, SdvProgress>();
	const bump = (key: string, init: () => SdvProgress, s: SdvStatus) => {
		const r = rows.get(key) ?? init();
		rows.set(key, r);
		r.required += 1;
		if (s === 'verified') r.verified += 1;
		if (s === 'changed') r.changed += 1;
	};
	for (const c of candidates) {
		const study = studyOf.get(c.participant_id)!;
		if (!settings.has(study)) settings.set(study, await sdvSettings(ctx.db, study));
		const required = sdvRequired(settings.get(study)!, {
			type: c.entity_type,
			id: c.entity_id,
			serious: c.serious === 1,
			instrument: c.instrument ?? undefined
		});
		if (!required) continue;
		const s = sdvStatus(true, c.version, c.verified_version);
		bump(
			`s:${c.site_code}`,
			() => ({
				siteCode: c.site_code,
				participantId: null,
				subjectCode: null,
				required: 0,
				verified: 0,
				changed: 0
			}),
			s
		);
		bump(
			`p:${c.participant_id}`,
			() => ({
				siteCode: c.site_code,
				participantId: c.participant_id,
				subjectCode: c.subject_code,
				required: 0,
				verified: 0,
				changed: 0
			}),
			s
		);
	}
	return [...rows.values()].sort(
		(a, b) =>
			a.siteCode.localeCompare(b.siteCode) ||
			(a.subjectCode ?? '').localeCompare(b.subjectCode ?? '')
	);
}
